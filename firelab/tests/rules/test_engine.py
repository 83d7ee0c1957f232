"""The public evaluation API: decisions, traces, batches, and robustness on arbitrary input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firelab.rules import (
    Auth,
    FieldFilter,
    InMemoryDocuments,
    ListQuery,
    Rules,
    RulesError,
    RulesRequest,
    RulesSyntaxError,
    RulesTimestamp,
    evaluate_expression,
)

TESTDATA = Path(__file__).parent / "testdata"
FULL = Rules.from_file(TESTDATA / "firestore_full.rules")
STORAGE = Rules.from_file(TESTDATA / "storage_full.rules")
NOON = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def make_post(owner: str = "alice", **overrides: object) -> dict[str, object]:
    """A post that passes the fixture's validPost() when created at NOON."""
    post: dict[str, object] = {
        "title": "Hello",
        "body": "First post",
        "ownerId": owner,
        "createdAt": NOON,
    }
    post.update(overrides)
    return post


def test_decision_trace_names_the_rule_that_granted() -> None:
    """An allowed decision's trace ends with the granting rule, its position and pattern."""
    decision = FULL.evaluate(
        RulesRequest(method="get", path="users/alice", auth=Auth("alice"), time=NOON)
    )
    assert decision.allowed
    last = decision.trace[-1]
    assert (last.result, last.methods) == ("true", ("get",))
    assert last.pattern == "/databases/{database}/documents/users/{userId}"
    assert last.bindings == {"database": "(default)", "userId": "alice"}
    assert decision.reason == ""


def test_decision_explain_lists_rules_reads_and_reason() -> None:
    """explain() says DENY, why, each rule tried with file:line:column, and each read."""
    decision = FULL.evaluate(
        RulesRequest(method="get", path="users/alice", auth=Auth("bob"), time=NOON),
        InMemoryDocuments({}),
    )
    text = decision.explain()
    assert text.splitlines()[0] == "DENY get /databases/(default)/documents/users/alice"
    assert "reason: no allow rule granted the request" in text
    assert f"{TESTDATA / 'firestore_full.rules'}:51:7 allow get on " in text
    assert "read /databases/(default)/documents/admins/bob" in text


def test_validation_heavy_create_is_allowed_and_checked() -> None:
    """The fixture's validPost() accepts a well-formed post and rejects a spam title."""
    request = RulesRequest(
        method="create",
        path="posts/p1",
        auth=Auth("alice"),
        time=NOON,
        request_resource=make_post(),
    )
    assert FULL.evaluate(request).allowed
    spam = RulesRequest(
        method="create",
        path="posts/p1",
        auth=Auth("alice"),
        time=NOON,
        request_resource=make_post(title="free spam here"),
    )
    assert not FULL.evaluate(spam).allowed


def test_update_limited_to_some_keys() -> None:
    """onlyChanges() lets an owner change their name but not their role."""
    before = {"name": "Alice", "role": "member"}
    rename = RulesRequest(
        method="update",
        path="users/alice",
        auth=Auth("alice"),
        time=NOON,
        resource=before,
        request_resource={**before, "name": "Alicia"},
    )
    promote = RulesRequest(
        method="update",
        path="users/alice",
        auth=Auth("alice"),
        time=NOON,
        resource=before,
        request_resource={**before, "role": "admin"},
    )
    assert FULL.evaluate(rename).allowed
    assert not FULL.evaluate(promote).allowed


def test_request_for_another_service_is_denied_with_reason() -> None:
    """Firestore rules deny a Storage request and say so."""
    decision = FULL.evaluate(RulesRequest(service="firebase.storage", method="get", path="a"))
    assert not decision.allowed
    assert "rules are for cloud.firestore" in decision.reason


def test_batch_decision_reports_the_denied_operation() -> None:
    """A batch is denied as a whole when one operation is, naming that operation."""
    allowed = RulesRequest(
        method="create",
        path="posts/p1",
        auth=Auth("alice"),
        time=NOON,
        request_resource=make_post(),
    )
    denied = RulesRequest(method="delete", path="users/alice", auth=Auth("alice"), time=NOON)
    batch = FULL.evaluate_batch([allowed, denied])
    assert not batch.allowed
    assert [d.allowed for d in batch.decisions] == [True, False]
    assert batch.reason == "delete /databases/(default)/documents/users/alice denied"


def test_time_may_be_given_as_a_rules_timestamp() -> None:
    """request.time accepts a RulesTimestamp as well as a datetime."""
    request = RulesRequest(
        method="create",
        path="posts/p1",
        auth=Auth("alice"),
        time=RulesTimestamp.from_datetime(NOON),
        request_resource=make_post(),
    )
    assert FULL.evaluate(request).allowed


def test_storage_full_rules() -> None:
    """The storage fixture admits an owner's avatar upload and refuses an oversized one."""
    avatar = RulesRequest(
        service="firebase.storage",
        method="create",
        path="users/alice/avatar.png",
        auth=Auth("alice"),
        request_resource={"size": 1024, "contentType": "image/png", "metadata": {"owner": "alice"}},
    )
    huge = RulesRequest(
        service="firebase.storage",
        method="create",
        path="users/alice/avatar.png",
        auth=Auth("alice"),
        request_resource={
            "size": 6 << 20,
            "contentType": "image/png",
            "metadata": {"owner": "alice"},
        },
    )
    assert STORAGE.evaluate(avatar).allowed
    assert not STORAGE.evaluate(huge).allowed


def test_evaluate_expression_raises_only_syntax_errors() -> None:
    """evaluate_expression returns error values; only unparsable text raises."""
    assert isinstance(evaluate_expression("1 / 0"), RulesError)
    assert evaluate_expression("x.size()", {"x": [1, 2]}) == 2
    with pytest.raises(RulesSyntaxError) as caught:
        evaluate_expression("1 +")
    assert caught.value.column == 4


def test_unbound_interpolation_stays_for_bind() -> None:
    """`$(name)` of an unknown name stays an unbound segment that path.bind() fills."""
    value = evaluate_expression(
        "(/path/$(foo)/$(bar)).bind({'foo': 'something', 'bar': 'another'})"
    )
    assert str(value) == "/path/something/another"


# ---------------------------------------------------------------------------------------------
# Properties: evaluation never raises out of the engine.

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=True)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["title", "body", "ownerId", "tags", "score", "x"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)
_segments = st.sampled_from(["users", "posts", "comments", "alice", "p1", "notes", "settings", "x"])
_paths = st.lists(_segments, min_size=1, max_size=6).map("/".join)
_methods = st.sampled_from(["get", "list", "create", "update", "delete"])
_auth = st.none() | st.builds(
    Auth,
    st.sampled_from(["alice", "bob", ""]),
    st.dictionaries(st.text(max_size=5), _json, max_size=3),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=_methods,
    path=_paths,
    auth=_auth,
    resource=st.none() | st.dictionaries(st.text(max_size=6), _json, max_size=5),
    written=st.none() | st.dictionaries(st.text(max_size=6), _json, max_size=5),
    limit=st.none() | st.integers(min_value=0, max_value=1000),
    filters=st.lists(
        st.builds(
            FieldFilter,
            st.sampled_from(["ownerId", "published", "x", "a.b", "tags"]),
            st.sampled_from(
                [
                    "<",
                    "<=",
                    "==",
                    "!=",
                    ">=",
                    ">",
                    "array-contains",
                    "in",
                    "not-in",
                    "array-contains-any",
                ]
            ),
            _json,
        ),
        max_size=3,
    ),
)
def test_evaluation_never_raises(
    method: str,
    path: str,
    auth: Auth | None,
    resource: dict[str, object] | None,
    written: dict[str, object] | None,
    limit: int | None,
    filters: list[FieldFilter],
) -> None:
    """Arbitrary requests, query filters and document data always yield a Decision, for
    either service."""
    request = RulesRequest(
        method=method,  # type: ignore[arg-type]
        path=path,
        auth=auth,
        time=NOON,
        resource=resource,
        request_resource=written,
        query=ListQuery(filters=tuple(filters), limit=limit) if method == "list" else None,
    )
    documents = InMemoryDocuments({"users/alice": resource or {}, "admins/alice": {}})
    decision = FULL.evaluate(request, documents)
    assert isinstance(decision.allowed, bool)
    storage = STORAGE.evaluate(
        RulesRequest(
            service="firebase.storage",
            method=method,  # type: ignore[arg-type]
            path=path,
            auth=auth,
            resource=resource,
            request_resource=written,
        ),
        documents,
    )
    assert isinstance(storage.allowed, bool)


_FRAGMENTS = [
    "x",
    "y",
    "m",
    "1",
    "0",
    "-1",
    "2.5",
    "'a'",
    "b'\\x00'",
    "null",
    "true",
    "false",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ",",
    ":",
    "'k'",
    ".",
    "size()",
    "keys()",
    "+",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    "!",
    "?",
    "in",
    "is",
    "string",
    "int",
    "map",
    "list",
    "[0]",
    "[0:1]",
    "math.abs(",
    "int(",
    "string(",
    "get(",
    "exists(",
    "/a/b",
    "/a/$(x)",
    "m.k",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=14).map(" ".join), _json, _json)
def test_any_parsable_expression_evaluates_to_a_value(source: str, x: object, y: object) -> None:
    """Every expression that parses evaluates to a value or an error value, never an exception."""
    try:
        evaluate_expression(source, {"x": x, "y": y, "m": {"k": x}})
    except RulesSyntaxError:
        return


def test_a_storage_object_always_has_a_custom_metadata_map() -> None:
    """rules.firebase.storage.Resource: `metadata` is a map, empty when nothing was set, so
    `'key' in resource.metadata` answers false instead of erroring."""
    rules = Rules.from_source(
        "rules_version = '2';\nservice firebase.storage {\n  match /b/{bucket}/o {\n"
        "    match /{file} {\n      allow create: if !('tag' in request.resource.metadata);\n"
        "    }\n  }\n}\n"
    )
    plain = RulesRequest(
        service="firebase.storage",
        method="create",
        path="f.txt",
        request_resource={"size": 1, "contentType": "text/plain"},
    )
    tagged = RulesRequest(
        service="firebase.storage",
        method="create",
        path="f.txt",
        request_resource={"size": 1, "contentType": "text/plain", "metadata": {"tag": "x"}},
    )
    assert rules.evaluate(plain).allowed
    assert not rules.evaluate(tagged).allowed
