"""Remake the README's console screenshots: `.venv/bin/python docs/console/shoot.py`.

Runs the devstack (demo data, Mitché's rules and functions) on free ports, makes one allowed
edit and one denied edit as the demo member alice, photographs each console page in headless
Chromium (docs/console/shoot.mjs) and stores them here as small palette PNGs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from PIL import Image

from firelab.tokens import mock_id_token

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROJECT = "demo-mitche"
CLAIMS = {
    "role": "user",
    "accountStatus": "active",
    "verifiedProvider": False,
    "email_verified": True,
}


def call(url: str, method: str, body: object | None, token: str) -> tuple[int, object]:
    request = urllib.request.Request(
        url, data=None if body is None else json.dumps(body).encode(), method=method
    )
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def main() -> None:
    ports = ["--firestore-port", "0", "--functions-port", "0", "--auth-port", "0"]
    ports += ["--storage-port", "0", "--console-port", "0"]
    environment = {k: v for k, v in os.environ.items() if not k.endswith("_EMULATOR_HOST")}
    process = subprocess.Popen(
        [sys.executable, "-m", "mitche_dev.devstack", *ports],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    assert process.stdout is not None
    text = ""
    for line in process.stdout:
        text += line
        if "Ctrl-C stops everything." in line:
            break
    if "Ctrl-C stops everything." not in text:
        raise SystemExit(f"the devstack did not start:\n{text}")
    try:
        firestore = re.search(r"FIRESTORE_EMULATOR_HOST=(\S+)", text).group(1)  # type: ignore[union-attr]
        console = re.search(r"Console\s+\S+\s+(http://\S+)", text).group(1)  # type: ignore[union-attr]
        base = f"http://{firestore}/v1/projects/{PROJECT}/databases/(default)/documents"
        query = {
            "structuredQuery": {
                "from": [{"collectionId": "requests"}],
                "where": {
                    "fieldFilter": {
                        "field": {"fieldPath": "requesterId"},
                        "op": "EQUAL",
                        "value": {"stringValue": "alice"},
                    }
                },
                "limit": 1,
            }
        }
        _, answers = call(f"{base}:runQuery", "POST", query, "owner")
        name = answers[0]["document"]["name"]  # type: ignore[index]
        path = name.split("/documents/")[1]
        alice = mock_id_token("alice", project=PROJECT, **CLAIMS)
        edit = {
            "writes": [
                {
                    "update": {
                        "name": name,
                        "fields": {"title": {"stringValue": "Groceries for the week, please"}},
                    },
                    "updateMask": {"fieldPaths": ["title"]},
                    "updateTransforms": [
                        {"fieldPath": "updatedAt", "setToServerValue": "REQUEST_TIME"}
                    ],
                }
            ]
        }
        print("allowed edit:", call(f"{base}:commit", "POST", edit, alice)[0])
        steal = {"fields": {"requesterId": {"stringValue": "bob"}}}
        print(
            "denied edit:",
            call(f"{base}/{path}?updateMask.fieldPaths=requesterId", "PATCH", steal, alice)[0],
        )
        urllib.request.urlopen(
            urllib.request.Request(
                re.search(r"(http://\S+)/demo-mitche/us-central1", text).group(1)  # type: ignore[union-attr]
                + "/__firelab/idle",
                method="POST",
            )
        )
        request = {
            "console": console,
            "document": path,
            "out": str(HERE),
            "chromium": "/usr/bin/chromium",
        }
        subprocess.run(["node", str(HERE / "shoot.mjs"), json.dumps(request)], cwd=ROOT, check=True)
    finally:
        process.terminate()
        process.wait(timeout=60)
    for png in HERE.glob("*.png"):
        picture = Image.open(png).convert("RGB")
        picture = picture.resize((960, round(picture.height * 960 / picture.width)))
        picture.quantize(colors=96).save(png, optimize=True)
        print(png.relative_to(ROOT), png.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
