"""Conformance cases for rules.LatLng, the ``latlng`` namespace and rules.Path:
``(expression, call, expected, source)``. See builtins_string.py for the shape of a case.
"""

import math

from firelab.rules._values import RulesError, RulesLatLng, RulesPath

ERROR = RulesError
LATLNG = "https://firebase.google.com/docs/reference/rules/rules.LatLng_"
LATLNG_NS = "https://firebase.google.com/docs/reference/rules/rules.latlng"
PATH = "https://firebase.google.com/docs/reference/rules/rules.Path"
EARTH = "on a sphere of radius 6,371,010 m (S2's Earth radius; the page gives no radius)"
ONE_DEGREE_M = 6_371_010.0 * math.pi / 180

ORIGIN = RulesLatLng(0.0, 0.0)
PARIS = RulesLatLng(48.8566, 2.3522)

CASES = [
    # latlng namespace
    (
        "latlng.value(48.8566, 2.3522)",
        ("function", "latlng.value", (48.8566, 2.3522)),
        PARIS,
        f"{LATLNG_NS} — value(lat, lng) creates a LatLng",
    ),
    (
        "latlng.value(0, 0)",
        ("function", "latlng.value", (0, 0)),
        ORIGIN,
        f"{LATLNG_NS} — integer degrees",
    ),
    (
        "latlng.value(90.5, 0)",
        ("function", "latlng.value", (90.5, 0)),
        ERROR,
        f"{LATLNG} — latitude is in the range [-90.0, 90.0]",
    ),
    (
        "latlng.value(0, -180.5)",
        ("function", "latlng.value", (0, -180.5)),
        ERROR,
        f"{LATLNG} — longitude is in the range [-180.0, 180.0]",
    ),
    (
        "latlng.value('0', 0)",
        ("function", "latlng.value", ("0", 0)),
        ERROR,
        f"{LATLNG_NS} — coordinates are numbers",
    ),
    # rules.LatLng methods
    (
        "latlng.value(48.8566, 2.3522).latitude()",
        ("method", PARIS, "latitude", ()),
        48.8566,
        f"{LATLNG} — latitude()",
    ),
    (
        "latlng.value(48.8566, 2.3522).longitude()",
        ("method", PARIS, "longitude", ()),
        2.3522,
        f"{LATLNG} — longitude()",
    ),
    (
        "latlng.value(0, 0).distance(latlng.value(0, 1))",
        ("method", ORIGIN, "distance", (RulesLatLng(0.0, 1.0),)),
        ONE_DEGREE_M,
        f"{LATLNG} — distance(other) in meters; one degree of the equator {EARTH}",
    ),
    (
        "latlng.value(0, 0).distance(latlng.value(0, 0))",
        ("method", ORIGIN, "distance", (ORIGIN,)),
        0.0,
        f"{LATLNG} — distance() from a point to itself",
    ),
    (
        "latlng.value(0, 0).distance(latlng.value(0, 180))",
        ("method", ORIGIN, "distance", (RulesLatLng(0.0, 180.0),)),
        180 * ONE_DEGREE_M,
        f"{LATLNG} — distance() to the antipode is half a great circle",
    ),
    (
        "latlng.value(0, 0).distance(1)",
        ("method", ORIGIN, "distance", (1,)),
        ERROR,
        f"{LATLNG} — distance() takes a LatLng",
    ),
    (
        "latlng.value(0, 0) == latlng.value(0.0, 0.0)",
        ("binary", "==", ORIGIN, RulesLatLng(0.0, 0.0)),
        True,
        f"{LATLNG} — equal coordinates are equal geopoints",
    ),
    # rules.Path
    (
        "(/path/$(foo)/$(bar)).bind({'foo': 'something', 'bar': 'another'})",
        (
            "method",
            RulesPath(("path", "$(foo)", "$(bar)")),
            "bind",
            ({"foo": "something", "bar": "another"},),
        ),
        RulesPath(("path", "something", "another")),
        f"{PATH} — make the path '/path/something/another' by binding a map",
    ),
    (
        "path('users/alice').bind({'uid': 'alice'}).uid",
        ("member", RulesPath(("users", "alice"), {"uid": "alice"}), "uid"),
        "alice",
        f"{PATH} — x.f is the value at binding field name f",
    ),
    (
        "path('users/alice').bind({'uid': 'alice'})['uid']",
        ("index", RulesPath(("users", "alice"), {"uid": "alice"}), "uid"),
        "alice",
        f"{PATH} — x[f] gets the value at binding field name f",
    ),
    (
        "path('users/alice').uid",
        ("member", RulesPath(("users", "alice")), "uid"),
        ERROR,
        f"{PATH} — an unbound field name is an error",
    ),
    (
        "path('a/b/c')[1]",
        ("index", RulesPath(("a", "b", "c")), 1),
        "b",
        f"{PATH} — x[i] gets the value at numeric index i",
    ),
    (
        "path('a/b/c')[3]",
        ("index", RulesPath(("a", "b", "c")), 3),
        ERROR,
        f"{PATH} — x[i] out of range is an error",
    ),
    (
        "/a/b == path('a/b')",
        ("binary", "==", RulesPath(("a", "b")), RulesPath(("a", "b"))),
        True,
        f'{PATH} — x == y compares paths; /path/to/resource equals path("path/to/resource")',
    ),
    (
        "/a/b == /a/c",
        ("binary", "==", RulesPath(("a", "b")), RulesPath(("a", "c"))),
        False,
        f"{PATH} — x == y",
    ),
    (
        "/a/b == 'a/b'",
        ("binary", "==", RulesPath(("a", "b")), "a/b"),
        False,
        f"{PATH} — a path never equals a string",
    ),
    (
        "(/a).bind(1)",
        ("method", RulesPath(("a",)), "bind", (1,)),
        ERROR,
        f"{PATH} — bind(map) takes a map",
    ),
]
