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
