"""The pytest plugin as a project meets it, run by pytest's own `pytester` in a throw-away
project: no conftest names the plugin (its `pytest11` entry point loads it), its options show in
`--help`, the command line overrides the ini file, rules load at the start of the session and
are enforced on user clients, and rules that do not compile fail the session."""

from __future__ import annotations

import pytest

from firelab.server._user_clients import EMULATOR_HOST

RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    // Each member reads and writes their own notes; nobody else does.
    match /notes/{uid}/items/{id} {
      allow read, write: if request.auth != null && request.auth.uid == uid;
    }
  }
}
"""

NOTES_TESTS = """
import pytest
from google.api_core.exceptions import PermissionDenied

pytestmark = pytest.mark.usefixtures("firestore_clear")


def test_a_member_writes_and_reads_her_own_note(user_client):
    alice = user_client("alice")
    alice.document("notes/alice/items/1").set({"text": "water the plants"})
    assert alice.document("notes/alice/items/1").get().to_dict() == {"text": "water the plants"}


def test_another_member_cannot_read_it(user_client, owner_client):
    owner_client.document("notes/alice/items/1").set({"text": "private"})
    with pytest.raises(PermissionDenied):
        user_client("mallory").document("notes/alice/items/1").get()


def test_a_signed_out_visitor_cannot_write(anonymous_client):
    with pytest.raises(PermissionDenied):
        anonymous_client.document("notes/alice/items/2").set({"text": "spam"})


def test_the_project_is_the_configured_one(firestore_project):
    print(f"PROJECT={firestore_project}")
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project with rules and tests, configured in its ini file only, whose session starts
    its own server (this session's server, if any, is not inherited)."""
    monkeypatch.delenv(EMULATOR_HOST, raising=False)
    pytester.makefile(".rules", firestore=RULES)
    pytester.makeini(
        "[pytest]\nfirestore_rules = firestore.rules\nfirestore_project = demo-notes\n"
        "asyncio_default_fixture_loop_scope = function\n"
    )
    pytester.makepyfile(test_notes=NOTES_TESTS)
    return pytester


def test_help_lists_the_plugins_options(pytester: pytest.Pytester) -> None:
    """`pytest --help` shows the command-line options and the ini options."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "Firestore fixtures (firelab):",
            "*--firestore-project=ID*",
            "*--firestore-rules=PATH*",
            "*firestore_project (string)*",
            "*project ID the Firestore fixtures use*",
            "*firestore_rules (string)*",
            "*firestore.rules loaded for the test session*",
        ]
    )


def test_a_project_gets_the_fixtures_from_the_entry_point(project: pytest.Pytester) -> None:
    """A fresh interpreter, no conftest: the rules from the ini file guard user clients."""
    result = project.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*PROJECT=demo-notes*"])


def test_the_command_line_overrides_the_ini_file(project: pytest.Pytester) -> None:
    """`--firestore-project` wins over the ini option; `--firestore-rules` names another file,
    here one that lets anyone do anything, so the denials of the project's tests no longer
    happen."""
    project.makefile(
        ".rules",
        open="rules_version = '2';\nservice cloud.firestore {\n  match /{path=**} {\n"
        "    allow read, write;\n  }\n}\n",
    )
    result = project.runpytest(
        "-s", "--firestore-project", "demo-cli", "--firestore-rules", "open.rules"
    )
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*PROJECT=demo-cli*", "*DID NOT RAISE*"])


def test_rules_that_do_not_compile_fail_the_session(project: pytest.Pytester) -> None:
    """A syntax error in the configured rules is an error of every test that needs the
    server, naming the problem, never a session that runs without rules."""
    project.makefile(".rules", firestore="rules_version = '2';\nservice cloud.firestore {\n")
    result = project.runpytest()
    result.assert_outcomes(errors=4)
    result.stdout.fnmatch_lines(["*AdminRequestError: loading rules failed*"])


CODEBASE = """
from firebase_functions import firestore_fn, https_fn
from google.cloud import firestore


@firestore_fn.on_document_created(document="notes/{uid}/items/{id}")
def note_created(event):
    # Counts each member's notes: a trigger writing back with server credentials.
    counter = firestore.Client().document(f"counts/{event.params['uid']}")
    counter.set({"notes": firestore.Increment(1)}, merge=True)


@https_fn.on_call()
def whoami(request):
    return {"uid": None if request.auth is None else request.auth.uid}
"""

FUNCTIONS_TESTS = """
import json
import urllib.error
import urllib.request

from firelab.tokens import mock_id_token


def test_a_trigger_counts_a_members_notes(user_client, owner_client, functions_host):
    alice = user_client("alice")
    alice.document("notes/alice/items/1").set({"text": "one"})
    alice.document("notes/alice/items/2").set({"text": "two"})
    functions_host.wait_idle()
    assert owner_client.document("counts/alice").get().to_dict() == {"notes": 2}
    assert functions_host.failures == []


def call_whoami(functions_host, project, token=None):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(
        f"{functions_host.url}/{project}/us-central1/whoami",
        data=json.dumps({"data": {}}).encode(),
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


def test_a_callable_answers_a_signed_out_caller(functions_host, firestore_project):
    assert call_whoami(functions_host, firestore_project) == (200, {"result": {"uid": None}})


def test_an_unsigned_token_is_refused_without_the_auth_emulator(
    functions_host, firestore_project
):
    token = mock_id_token("bob", project=firestore_project)
    assert call_whoami(functions_host, firestore_project, token) == (401, None)
"""


def test_functions_host_runs_the_projects_codebase(project: pytest.Pytester) -> None:
    """With `functions_source` set, `functions_host` runs the codebase against the session's
    server: a member's writes fire its trigger, whose own write lands once `wait_idle()`
    returns, and its callable answers; an unsigned (mock) token is refused as production
    refuses it, since only an Auth emulator (FIREBASE_AUTH_EMULATOR_HOST) makes them valid."""
    project.mkdir("functions")
    (project.path / "functions" / "main.py").write_text(CODEBASE)
    project.makeini(
        "[pytest]\nfirestore_rules = firestore.rules\nfirestore_project = demo-notes\n"
        "functions_source = functions\nasyncio_default_fixture_loop_scope = function\n"
    )
    project.makepyfile(test_functions=FUNCTIONS_TESTS)
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "test_functions.py")
    result.assert_outcomes(passed=3)


def test_functions_host_without_a_codebase_says_what_to_set(project: pytest.Pytester) -> None:
    """Asking for `functions_host` with no codebase configured fails the test with the option
    to set, rather than running without functions."""
    project.makepyfile(test_needs_functions="def test_it(functions_host):\n    pass\n")
    result = project.runpytest("test_needs_functions.py")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*set the ini option functions_source*"])
