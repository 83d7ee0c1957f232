"""The emulator's own HTTP endpoints, matched exactly as the official emulator matches them.

The table is the official emulator v1.22.0's behaviour as measured by hidane (its
`crates/hidane/tests/admin_http.rs`): exact paths, POST only for actions, the query string
ignored, newline-terminated bodies, `404 Not Found` for everything else.
"""

from __future__ import annotations

import httpx
import pytest

OK = "Ok\n"
RESET = "Resetting...\n"
NOT_FOUND = "Not Found\n"

TABLE = [
    ("GET", "/", 200, OK),
    ("GET", "/?x=1", 200, OK),
    ("HEAD", "/", 404, ""),
    ("POST", "/", 404, NOT_FOUND),
    ("PUT", "/", 404, NOT_FOUND),
    ("GET", "/index.html", 404, NOT_FOUND),
    ("POST", "/reset", 200, RESET),
    ("POST", "/reset?x=1", 200, RESET),
    ("GET", "/reset", 404, NOT_FOUND),
    ("PUT", "/reset", 404, NOT_FOUND),
    ("DELETE", "/reset", 404, NOT_FOUND),
    ("POST", "/reset/", 404, NOT_FOUND),
    ("POST", "/RESET", 404, NOT_FOUND),
    ("POST", "/foo/reset", 404, NOT_FOUND),
    ("POST", "/emulator/v1/reset", 404, NOT_FOUND),
    ("POST", "/persist", 404, NOT_FOUND),
    ("GET", "/shutdown", 404, NOT_FOUND),
    ("PUT", "/shutdown", 404, NOT_FOUND),
    ("POST", "/shutdown/", 404, NOT_FOUND),
    ("POST", "/foo/shutdown", 404, NOT_FOUND),
]


@pytest.mark.parametrize(("method", "path", "status", "body"), TABLE)
def test_admin_endpoints_match_the_official_emulator(firestore_server, method, path, status, body):
    """Each method and path gets the official emulator's status and exact body."""
    response = httpx.request(method, f"http://{firestore_server.host}{path}")
    assert (response.status_code, response.text) == (status, body)


def test_not_found_has_no_content_type(firestore_server):
    """The plain-text 404 carries no Content-Type header, like the emulator's."""
    response = httpx.get(f"http://{firestore_server.host}/nothing/here")
    assert "content-type" not in response.headers


def test_browsers_get_their_origin_back(firestore_server):
    """A preflight from any origin is allowed, with credentials, the methods and headers."""
    response = httpx.options(
        f"http://{firestore_server.host}/v1/projects/p/databases/(default)/documents:commit",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-allow-headers"] == "authorization,content-type"
    assert "POST" in response.headers["access-control-allow-methods"]
