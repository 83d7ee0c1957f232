"""rest.json replayed through the wire: every REST binding answers byte for byte as recorded.

The cases run in order against one fresh project (later cases read what earlier ones wrote);
answers are normalised as the recording script normalised them (project ID, server times,
transaction IDs, page tokens and generated IDs). `compare: status` cases check only the status
and content type: their messages print the official emulator's internal keys.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import httpx
import pytest

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
CASES = json.loads((ORACLE / "rest.json").read_text("utf-8"))["cases"]


def normalise(text: str, project: str) -> str:
    """The recording's normalisation (tools/oracle/rest.py `norm`)."""
    text = text.replace(project, "{project}")
    text = re.sub(
        r'"(createTime|updateTime|readTime|commitTime)": "[^"]*"', r'"\1": "<time>"', text
    )
    text = re.sub(r'"transaction": "[^"]*"', '"transaction": "<id>"', text)
    text = re.sub(r'"nextPageToken": "[^"]*"', '"nextPageToken": "<token>"', text)
    return re.sub(r'documents/gen/[A-Za-z0-9]{20}"', 'documents/gen/<auto>"', text)


@pytest.fixture(scope="module")
def answers(firestore_server):
    """Every case's (status, content type, normalised body), in recording order."""
    project = f"rest-{uuid.uuid4().hex[:8]}"
    out = {}
    with httpx.Client(base_url=f"http://{firestore_server.host}", timeout=30) as client:
        for case in CASES:
            headers = dict(case["headers"])
            if "raw" in case:
                content = case["raw"].encode()
            elif "body" in case:
                content = json.dumps(case["body"]).replace("{project}", project).encode()
            else:
                content = None
            if content is not None and "Content-Type" not in headers:
                headers["Content-Type"] = "application/json"
            path = case["path"].replace("{project}", project)
            response = client.request(case["method"], path, content=content, headers=headers)
            out[case["name"]] = (
                response.status_code,
                response.headers.get("content-type"),
                normalise(response.text, project),
            )
    return out


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_rest_answer_matches_the_recording(answers, case):
    """The status, content type and (for exact cases) body are the recorded ones."""
    status, content_type, body = answers[case["name"]]
    outcome = case["outcome"]
    assert (status, content_type) == (outcome["status"], outcome["contentType"])
    if case["compare"] == "exact":
        assert body == outcome["body"]
