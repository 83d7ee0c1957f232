"""The coverage report of the session's rules run (GET …:ruleCoverage on the server): every
`allow` condition of firestore.rules was evaluated both true and false by the access matrix
and the hostile-client suite. Run alone, the test first runs those suites' operations itself."""

from __future__ import annotations

from .hostile import CASES, CUSTOM_ACTORS
from .matrix import cells
from .scenarios import SCENARIOS
from .world import Actor, make_user


def _run_the_suites(harness) -> None:
    """Every matrix cell and hostile case, outside pytest, to fill the coverage counters."""
    for cell in cells():
        now = harness.reset()
        harness.allowed(SCENARIOS[cell.row.scenario], harness.actors[cell.actor], now)
    for case in CASES:
        now = harness.reset()
        if case.actor in CUSTOM_ACTORS:
            uid, claims = CUSTOM_ACTORS[case.actor]
            actor = Actor(case.actor, uid, claims)
            harness.seed({f"users/{uid}": make_user(uid, now)})
        else:
            actor = harness.actors[case.actor]
        if case.prepare is not None:
            case.prepare(harness.owner, now)
        harness.performs(case.run, actor, now)


def test_every_allow_condition_was_both_granted_and_refused(harness, capsys):
    """Each allow of firestore.rules came out true for some request and false for another."""
    if harness.performed < len(cells()):
        _run_the_suites(harness)
    report = harness.coverage()
    allows = report["allows"]
    both = [allow for allow in allows if allow["true"] and allow["false"]]
    summary = report["summary"]
    with capsys.disabled():
        print(
            f"\nfirestore.rules coverage: {len(both)}/{len(allows)} allow conditions evaluated "
            f"both true and false; {summary['expressionsEvaluated']}/{summary['expressions']} "
            f"expressions evaluated, {summary['expressionsSeenTrueAndFalse']} seen both true "
            "and false"
        )
    one_sided = [
        f"line {allow['line']}: allow {', '.join(allow['methods'])} "
        f"(true {allow['true']}, false {allow['false']}, error {allow['error']})"
        for allow in allows
        if not (allow["true"] and allow["false"])
    ]
    assert one_sided == []
    assert len(allows) >= 70
