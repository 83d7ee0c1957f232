"""The functions manifest, discovered the way firebase-tools discovers it at deploy.

For a Python codebase, firebase-tools activates `functions/venv`, starts the Functions SDK's
admin server (`firebase_functions/private/serving.py`, with `ADMIN_PORT` and the project's
`GCLOUD_PROJECT` and `FIREBASE_CONFIG` in its environment) in the source directory, reads
`GET /__/functions.yaml`, and stops it with `GET /__/quitquitquit`. This module does the same
with any venv's interpreter, so tests and `scripts/deploy` see exactly what a deploy would
create: every function, its trigger, and its runtime settings.

    .venv/bin/python -m mitche_dev.discovery --python functions/venv/bin/python
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import yaml

__all__ = ["DiscoveryError", "discover", "endpoint_summary", "main"]

STARTUP_LIMIT: Final = 60.0
"""Seconds the admin server may take to answer before discovery gives up (firebase-tools
allows 10 s by default; a cold, loaded CI machine needs more)."""


class DiscoveryError(RuntimeError):
    """The admin server did not start, or did not serve a manifest."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _sdk_directory(python: Path) -> Path:
    """Where the venv's Functions SDK lives, asked the way firebase-tools asks."""
    probe = "import firebase_functions, os; print(os.path.dirname(firebase_functions.__file__))"
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DiscoveryError(f"{python} has no Functions SDK: {result.stderr.strip()}")
    return Path(result.stdout.strip())


class _RefusedError(Exception):
    """The server answered with an error status (main.py failed to import, for instance)."""


def _get(url: str, timeout: float = 10.0) -> str | None:
    """The body at `url`; None while nothing listens there yet."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body: bytes = response.read()
            return body.decode()
    except urllib.error.HTTPError as error:
        raise _RefusedError(f"{url} answered {error.code}") from error
    except TimeoutError as error:
        raise _RefusedError(f"{url} did not answer within {timeout:.0f} s") from error
    except (urllib.error.URLError, ConnectionError):
        return None


def discover(python: Path, source: Path, project: str = "demo-mitche") -> dict[str, Any]:
    """The manifest the Functions SDK serves for the codebase in `source`, run by `python`."""
    python = python.absolute()  # not resolve(): a venv's python is a symlink out of the venv
    serving = _sdk_directory(python) / "private" / "serving.py"
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ADMIN_PORT": str(port),
        "GCLOUD_PROJECT": project,
        "FIREBASE_CONFIG": json.dumps({"projectId": project}),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(
            [str(python), str(serving)],
            cwd=source,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        refusal = ""
        try:
            text = _read_manifest(server, f"http://127.0.0.1:{port}")
        except _RefusedError as error:
            text, refusal = None, f"{error}\n"
        finally:
            with contextlib.suppress(_RefusedError):
                _get(f"http://127.0.0.1:{port}/__/quitquitquit")
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            errors.seek(0)
            log = errors.read().decode(errors="replace")
        if text is None:
            raise DiscoveryError(f"the admin server served no manifest: {refusal}{log}")
    manifest = yaml.safe_load(text)
    if not isinstance(manifest, dict) or "endpoints" not in manifest:
        raise DiscoveryError(f"not a functions manifest:\n{text}")
    return manifest


def _read_manifest(server: subprocess.Popen[bytes], base: str) -> str | None:
    """Poll until the server answers or exits (a broken main.py makes it exit at once)."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline and server.poll() is None:
        # The first answer imports main.py, which takes seconds on a cold, loaded machine.
        text = _get(f"{base}/__/functions.yaml", timeout=max(1.0, deadline - time.monotonic()))
        if text is not None:
            return text
        time.sleep(0.05)
    return None


def _trigger(endpoint: dict[str, Any]) -> str:
    if "eventTrigger" in endpoint:
        trigger = endpoint["eventTrigger"]
        filters = {**trigger.get("eventFilters", {}), **trigger.get("eventFilterPathPatterns", {})}
        kind = str(trigger["eventType"]).rsplit(".", 1)[-1]
        return f"{kind} {filters.get('document', '')} (retry {trigger.get('retry')})"
    if "scheduleTrigger" in endpoint:
        schedule = endpoint["scheduleTrigger"]
        retries = (schedule.get("retryConfig") or {}).get("retryCount")
        zone = schedule.get("timeZone") or "UTC"
        return f"schedule {schedule['schedule']!r} {zone} (retries {retries})"
    if "callableTrigger" in endpoint:
        return "callable"
    if "httpsTrigger" in endpoint:
        return "https"
    return "unknown trigger"


def endpoint_summary(manifest: dict[str, Any]) -> list[str]:
    """One line per function: name, trigger, region, memory, timeout, instances, concurrency."""
    lines = []
    for name, endpoint in sorted(manifest["endpoints"].items()):
        lines.append(
            f"{name}: {_trigger(endpoint)}; region {','.join(endpoint.get('region') or ['?'])},"
            f" {endpoint.get('availableMemoryMb')} MiB, {endpoint.get('timeoutSeconds')} s,"
            f" max instances {endpoint.get('maxInstances')},"
            f" concurrency {endpoint.get('concurrency')}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print what a deploy of the functions codebase would create."""
    parser = argparse.ArgumentParser(prog="python -m mitche_dev.discovery", description=__doc__)
    parser.add_argument("--python", type=Path, default=Path("functions/venv/bin/python"))
    parser.add_argument("--source", type=Path, default=Path("functions"))
    parser.add_argument("--project", default="demo-mitche")
    args = parser.parse_args(argv)
    try:
        manifest = discover(args.python, args.source, args.project)
    except DiscoveryError as error:
        print(f"discovery failed: {error}", file=sys.stderr)
        return 1
    print("\n".join(endpoint_summary(manifest)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
