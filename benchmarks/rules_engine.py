"""Evaluations per second of the firelab rules engine on one core (a benchmark, not a test).

Run: `.venv/bin/python benchmarks/rules_engine.py [--seconds 2]`.

Three scenarios on a parsed-once ruleset: a `get` with an ownership check, a validation-heavy
`create` (20+ field checks, `hasOnly`, `diff`), and a `list` judged from its query's filters.
The project's firestore.rules is used when it grants these requests; until it does, the
realistic stand-in below is. As an anchor, cel-python (a CEL interpreter in Python) evaluates
equivalent boolean expressions in the same run, and the ratio is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import celpy
from celpy.adapter import json_to_cel

from firelab.rules import Auth, FieldFilter, ListQuery, Rules, RulesRequest

STAND_IN = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function isSignedIn() {
      return request.auth != null;
    }
    function isOwner(uid) {
      return isSignedIn() && request.auth.uid == uid;
    }
    function validOffering(data) {
      return data.keys().hasAll(['title', 'body', 'ownerId', 'kind', 'createdAt'])
        && data.keys().hasOnly(['title', 'body', 'ownerId', 'kind', 'createdAt', 'tags',
                                'city', 'lat', 'lng', 'capacity', 'price', 'open', 'lang',
                                'updatedAt', 'photoCount', 'visibility'])
        && data.diff({}).addedKeys().hasOnly(data.keys())
        && data.title is string && data.title.size() >= 3 && data.title.size() <= 120
        && data.body is string && data.body.size() <= 5000
        && data.ownerId == request.auth.uid
        && data.kind in ['help', 'item', 'skill', 'event']
        && data.createdAt == request.time
        && data.updatedAt == request.time
        && data.tags is list && data.tags.size() <= 5
        && data.city is string && data.city.size() <= 80
        && data.lat is number && data.lat >= -90 && data.lat <= 90
        && data.lng is number && data.lng >= -180 && data.lng <= 180
        && data.capacity is int && data.capacity > 0 && data.capacity <= 100
        && data.price is number && data.price >= 0
        && data.open is bool
        && data.lang.matches('[a-z]{2}')
        && data.photoCount is int && data.photoCount <= 10
        && data.visibility in ['public', 'members'];
    }
    match /users/{userId} {
      allow get: if isOwner(userId);
    }
    match /offerings/{offeringId} {
      allow create: if isSignedIn() && validOffering(request.resource.data);
      allow list: if request.query.limit <= 50 && resource.data.ownerId == request.auth.uid;
    }
  }
}"""

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
OFFERING = {
    "title": "Soup kitchen helpers",
    "body": "Two hours on Saturday morning.",
    "ownerId": "alice",
    "kind": "help",
    "createdAt": NOW,
    "updatedAt": NOW,
    "tags": ["food", "weekend"],
    "city": "Lyon",
    "lat": 45.76,
    "lng": 4.83,
    "capacity": 6,
    "price": 0,
    "open": True,
    "lang": "fr",
    "photoCount": 2,
    "visibility": "public",
}

GET = RulesRequest(method="get", path="users/alice", auth=Auth("alice"), time=NOW)
CREATE = RulesRequest(
    method="create",
    path="offerings/o1",
    auth=Auth("alice"),
    time=NOW,
    request_resource=OFFERING,
)
LIST = RulesRequest(
    method="list",
    path="offerings",
    auth=Auth("alice"),
    time=NOW,
    query=ListQuery(filters=(FieldFilter("ownerId", "==", "alice"),), limit=20),
)

CEL_OWNERSHIP = "has(request.auth) && request.auth.uid == userId"
CEL_VALIDATION = """
  has(request.auth) && data.title.size() >= 3 && data.title.size() <= 120
  && data.body.size() <= 5000 && data.ownerId == request.auth.uid
  && data.kind in ['help', 'item', 'skill', 'event']
  && data.tags.size() <= 5 && data.city.size() <= 80
  && data.lat >= -90.0 && data.lat <= 90.0 && data.lng >= -180.0 && data.lng <= 180.0
  && data.capacity > 0 && data.capacity <= 100 && data.price >= 0
  && data.open == true && data.lang.matches('^[a-z]{2}$')
  && data.photoCount <= 10 && data.visibility in ['public', 'members']
  && ['title', 'body', 'ownerId', 'kind'].all(k, k in data)
"""


def rate(function: Callable[[], object], seconds: float) -> float:
    """Calls per second of `function`, measured for about `seconds`."""
    function()
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(50):
            function()
        count += 50
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def choose_rules() -> tuple[Rules, str]:
    """The project's firestore.rules if it grants the three requests, else the stand-in."""
    project = Path(__file__).resolve().parents[1] / "firestore.rules"
    rules = Rules.from_file(project)
    if all(rules.evaluate(request).allowed for request in (GET, CREATE, LIST)):
        return rules, str(project)
    return Rules.from_source(STAND_IN, "stand-in.rules"), "stand-in (benchmarks/rules_engine.py)"


def cel_program(expression: str) -> Callable[[Any], object]:
    """A compiled cel-python program's evaluate function."""
    environment = celpy.Environment()
    program: Any = environment.program(environment.compile(expression))
    evaluate: Callable[[Any], object] = program.evaluate
    return evaluate


def to_cel(value: Any) -> Any:
    """A JSON-like value as cel-python types."""
    return json_to_cel(value)


def main() -> None:
    """Measure and print the three scenarios and the cel-python anchors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    seconds = parser.parse_args().seconds
    rules, source = choose_rules()
    for request in (GET, CREATE, LIST):
        assert rules.evaluate(request).allowed, rules.evaluate(request).explain()

    ownership = cel_program(CEL_OWNERSHIP)
    ownership_vars = {
        "request": to_cel({"auth": {"uid": "alice", "token": {}}}),
        "userId": celpy.celtypes.StringType("alice"),
    }
    validation = cel_program(CEL_VALIDATION)
    cel_offering = {k: v for k, v in OFFERING.items() if not isinstance(v, dt.datetime)}
    validation_vars = {
        "request": to_cel({"auth": {"uid": "alice", "token": {}}}),
        "data": to_cel(cel_offering),
    }
    assert bool(ownership(ownership_vars))
    assert bool(validation(validation_vars))

    print(f"rules: {source}")
    results = {
        "get, ownership check": rate(lambda: rules.evaluate(GET), seconds),
        "create, validation-heavy (20+ checks, hasOnly, diff)": rate(
            lambda: rules.evaluate(CREATE), seconds
        ),
        "list, judged from its filters": rate(lambda: rules.evaluate(LIST), seconds),
    }
    for name, value in results.items():
        print(f"  {name:<55} {value:>10,.0f} evaluations/s")
    cel_ownership = rate(lambda: ownership(ownership_vars), seconds)
    cel_validation = rate(lambda: validation(validation_vars), seconds)
    print("cel-python, the same boolean expressions alone (no request building, no matching):")
    print(f"  {'ownership expression':<55} {cel_ownership:>10,.0f} evaluations/s")
    print(f"  {'validation expression':<55} {cel_validation:>10,.0f} evaluations/s")
    get_ratio = results["get, ownership check"] / cel_ownership
    create_ratio = results["create, validation-heavy (20+ checks, hasOnly, diff)"] / cel_validation
    print(f"firelab / cel-python: get {get_ratio:.1f}x, create {create_ratio:.1f}x")


if __name__ == "__main__":
    main()
