"""Conformance cases for rules.Timestamp, rules.Duration and the ``timestamp`` and ``duration``
namespaces: ``(expression, call, expected, source)``. See builtins_string.py for the shape.

The sample instant is 2021-03-04T05:06:07.123456789Z, a Thursday, the 63rd day of 2021.
"""

import datetime as dt

from firelab.rules._values import RulesDuration, RulesError, RulesTimestamp

ERROR = RulesError
TS = "https://firebase.google.com/docs/reference/rules/rules.Timestamp"
TS_NS = "https://firebase.google.com/docs/reference/rules/rules.timestamp"
DUR = "https://firebase.google.com/docs/reference/rules/rules.Duration"
DUR_NS = "https://firebase.google.com/docs/reference/rules/rules.duration_"
SECOND = 1_000_000_000


def ts(*fields: int, nanos: int = 0) -> RulesTimestamp:
    """A timestamp from (year, month, day[, hour, minute, second]) UTC plus nanoseconds."""
    moment = dt.datetime(*fields, tzinfo=dt.UTC)  # type: ignore[misc, arg-type]
    return RulesTimestamp(RulesTimestamp.from_datetime(moment).nanos + nanos)


def seconds(count: int, nanos: int = 0) -> RulesDuration:
    return RulesDuration(count * SECOND + nanos)


SAMPLE = ts(2021, 3, 4, 5, 6, 7, nanos=123_456_789)
SAMPLE_TEXT = "timestamp.value(1614834367123) + duration.value(456789, 'ns')"


def on_sample(method: str) -> tuple[object, ...]:
    return ("method", SAMPLE, method, ())


CASES = [
    # rules.Timestamp methods
    (
        f"({SAMPLE_TEXT}).date()",
        on_sample("date"),
        ts(2021, 3, 4),
        f"{TS} — date(): year, month, and day only",
    ),
    (f"({SAMPLE_TEXT}).year()", on_sample("year"), 2021, f"{TS} — year() gets the year value"),
    (f"({SAMPLE_TEXT}).month()", on_sample("month"), 3, f"{TS} — month() gets the month value"),
    (f"({SAMPLE_TEXT}).day()", on_sample("day"), 4, f"{TS} — day() gets the day value"),
    (
        f"({SAMPLE_TEXT}).dayOfWeek()",
        on_sample("dayOfWeek"),
        4,
        f"{TS} — dayOfWeek() from 1 to 7; Monday is 1, so Thursday is 4 (ISO 8601, java.time)",
    ),
    (
        "timestamp.date(2021, 3, 7).dayOfWeek()",
        ("method", ts(2021, 3, 7), "dayOfWeek", ()),
        7,
        f"{TS} — dayOfWeek() from 1 to 7; Sunday is 7",
    ),
    (
        f"({SAMPLE_TEXT}).dayOfYear()",
        on_sample("dayOfYear"),
        63,
        f"{TS} — dayOfYear() from 1 to 366",
    ),
    (
        "timestamp.date(2020, 12, 31).dayOfYear()",
        ("method", ts(2020, 12, 31), "dayOfYear", ()),
        366,
        f"{TS} — dayOfYear() reaches 366 in a leap year",
    ),
    (f"({SAMPLE_TEXT}).hours()", on_sample("hours"), 5, f"{TS} — hours() gets the hours value"),
    (
        f"({SAMPLE_TEXT}).minutes()",
        on_sample("minutes"),
        6,
        f"{TS} — minutes() gets the minutes value",
    ),
    (
        f"({SAMPLE_TEXT}).seconds()",
        on_sample("seconds"),
        7,
        f"{TS} — seconds() gets the seconds value",
    ),
    (
        f"({SAMPLE_TEXT}).nanos()",
        on_sample("nanos"),
        123_456_789,
        f"{TS} — nanos() gets the nanos value",
    ),
    (
        f"({SAMPLE_TEXT}).time()",
        on_sample("time"),
        seconds(5 * 3600 + 6 * 60 + 7, 123_456_789),
        f"{TS} — time() is the duration from the time portion of the timestamp",
    ),
    (
        f"({SAMPLE_TEXT}).toMillis()",
        on_sample("toMillis"),
        1_614_834_367_123,
        f"{TS} — toMillis() is the time in milliseconds since the epoch",
    ),
    (
        "(timestamp.value(0) - duration.value(1, 'ns')).toMillis()",
        ("method", RulesTimestamp(-1), "toMillis", ()),
        -1,
        f"{TS} — toMillis() before the epoch rounds down",
    ),
    (
        "(timestamp.value(0) - duration.value(1, 'ns')).year()",
        ("method", RulesTimestamp(-1), "year", ()),
        1969,
        f"{TS} — a timestamp in UTC: one nanosecond before the epoch is in 1969",
    ),
    (
        "timestamp.value(0).hours(1)",
        ("method", RulesTimestamp(0), "hours", (1,)),
        ERROR,
        f"{TS} — hours() takes no argument",
    ),
    # timestamp operators
    (
        "timestamp.value(0) + duration.value(1, 'h')",
        ("binary", "+", RulesTimestamp(0), seconds(3600)),
        ts(1970, 1, 1, 1, 0, 0),
        f"{TS} — a timestamp plus a duration is a timestamp",
    ),
    (
        "duration.value(1, 'h') + timestamp.value(0)",
        ("binary", "+", seconds(3600), RulesTimestamp(0)),
        ts(1970, 1, 1, 1, 0, 0),
        f"{TS} — a duration plus a timestamp is a timestamp",
    ),
    (
        "timestamp.value(0) - duration.value(1, 'd')",
        ("binary", "-", RulesTimestamp(0), seconds(86_400)),
        ts(1969, 12, 31),
        f"{TS} — a timestamp minus a duration is a timestamp",
    ),
    (
        "timestamp.date(2021, 1, 2) - timestamp.date(2021, 1, 1)",
        ("binary", "-", ts(2021, 1, 2), ts(2021, 1, 1)),
        seconds(86_400),
        f"{TS} — a timestamp minus a timestamp is a duration",
    ),
    (
        "timestamp.value(0) + timestamp.value(0)",
        ("binary", "+", RulesTimestamp(0), RulesTimestamp(0)),
        ERROR,
        f"{TS} — timestamps do not add",
    ),
    (
        "timestamp.value(0) < timestamp.value(1)",
        ("binary", "<", RulesTimestamp(0), RulesTimestamp(1_000_000)),
        True,
        f"{TS} — timestamps compare in time order",
    ),
    (
        "timestamp.value(5) == timestamp.value(5)",
        ("binary", "==", RulesTimestamp(5_000_000), RulesTimestamp(5_000_000)),
        True,
        f"{TS} — equal instants are equal",
    ),
    (
        "timestamp.value(0) < 1",
        ("binary", "<", RulesTimestamp(0), 1),
        ERROR,
        f"{TS} — a timestamp is not a number",
    ),
    (
        "timestamp.date(9999, 12, 31) + duration.value(1, 'd')",
        ("binary", "+", ts(9999, 12, 31), seconds(86_400)),
        ERROR,
        f"{TS} — timestamps end at 9999-12-31T23:59:59Z",
    ),
    # timestamp namespace
    (
        "timestamp.date(1984, 1, 2)",
        ("function", "timestamp.date", (1984, 1, 2)),
        ts(1984, 1, 2),
        f"{TS_NS} — timestamp.date(1984, 1, 2) is 1984-01-02T00:00:00Z",
    ),
    (
        "timestamp.date(2021, 2, 29)",
        ("function", "timestamp.date", (2021, 2, 29)),
        ERROR,
        f"{TS_NS} — date(year, month, day) must name a real day",
    ),
    (
        "timestamp.date(2021, 1)",
        ("function", "timestamp.date", (2021, 1)),
        ERROR,
        f"{TS_NS} — date() takes three arguments",
    ),
    (
        "timestamp.date('2021', 1, 1)",
        ("function", "timestamp.date", ("2021", 1, 1)),
        ERROR,
        f"{TS_NS} — year is an integer",
    ),
    (
        "timestamp.value(1614834367123)",
        ("function", "timestamp.value", (1_614_834_367_123,)),
        ts(2021, 3, 4, 5, 6, 7, nanos=123_000_000),
        f"{TS_NS} — value(epochMillis) makes a timestamp from milliseconds since the epoch",
    ),
    (
        "timestamp.value(1.5)",
        ("function", "timestamp.value", (1.5,)),
        ERROR,
        f"{TS_NS} — epochMillis is an integer",
    ),
    (
        "timestamp.value(253402300800000)",
        ("function", "timestamp.value", (253_402_300_800_000,)),
        ERROR,
        f"{TS_NS} — year 10000 is beyond the timestamp range",
    ),
    # rules.Duration
    (
        "duration.value(-1500, 'ms').seconds()",
        ("method", RulesDuration(-1_500_000_000), "seconds", ()),
        -1,
        f"{DUR} — seconds() is the signed seconds portion",
    ),
    (
        "duration.value(-1500, 'ms').nanos()",
        ("method", RulesDuration(-1_500_000_000), "nanos", ()),
        -500_000_000,
        f"{DUR} — nanos() is the signed nanoseconds portion, -999,999,999 to +999,999,999",
    ),
    (
        "duration.value(2500, 'ms').nanos()",
        ("method", RulesDuration(2_500_000_000), "nanos", ()),
        500_000_000,
        f"{DUR} — nanos() of a positive duration",
    ),
    (
        "duration.value(1, 's') + duration.value(500, 'ms')",
        ("binary", "+", seconds(1), RulesDuration(500_000_000)),
        seconds(1, 500_000_000),
        f"{DUR} — durations add",
    ),
    (
        "duration.value(1, 's') - duration.value(2, 's')",
        ("binary", "-", seconds(1), seconds(2)),
        seconds(-1),
        f"{DUR} — durations subtract",
    ),
    (
        "duration.value(1, 'm') > duration.value(59, 's')",
        ("binary", ">", seconds(60), seconds(59)),
        True,
        f"{DUR} — durations compare",
    ),
    (
        "duration.value(1, 's') * 2",
        ("binary", "*", seconds(1), 2),
        ERROR,
        f"{DUR} — durations do not multiply",
    ),
    # duration namespace
    (
        "duration.abs(duration.value(-10, 's'))",
        ("function", "duration.abs", (seconds(-10),)),
        seconds(10),
        f"{DUR_NS} — duration.abs(duration.value(-10, 's')) == duration.value(10, 's')",
    ),
    (
        "duration.abs(10)",
        ("function", "duration.abs", (10,)),
        ERROR,
        f"{DUR_NS} — abs() takes a duration",
    ),
    (
        "duration.time(1, 2, 3, 4)",
        ("function", "duration.time", (1, 2, 3, 4)),
        seconds(3723, 4),
        f"{DUR_NS} — time(hours, mins, secs, nanos) creates a duration",
    ),
    (
        "duration.time(1, 2, 3)",
        ("function", "duration.time", (1, 2, 3)),
        ERROR,
        f"{DUR_NS} — time() takes four arguments",
    ),
    (
        "duration.value(1, 'w')",
        ("function", "duration.value", (1, "w")),
        seconds(7 * 86_400),
        f"{DUR_NS} — duration.value(1, 'w') is 1 week of time",
    ),
    (
        "duration.value(2, 'd')",
        ("function", "duration.value", (2, "d")),
        seconds(2 * 86_400),
        f"{DUR_NS} — unit d: days",
    ),
    (
        "duration.value(3, 'h')",
        ("function", "duration.value", (3, "h")),
        seconds(3 * 3600),
        f"{DUR_NS} — unit h: hours",
    ),
    (
        "duration.value(4, 'm')",
        ("function", "duration.value", (4, "m")),
        seconds(240),
        f"{DUR_NS} — unit m: minutes",
    ),
    (
        "duration.value(5, 's')",
        ("function", "duration.value", (5, "s")),
        seconds(5),
        f"{DUR_NS} — unit s: seconds",
    ),
    (
        "duration.value(6, 'ms')",
        ("function", "duration.value", (6, "ms")),
        RulesDuration(6_000_000),
        f"{DUR_NS} — unit ms: milliseconds",
    ),
    (
        "duration.value(7, 'ns')",
        ("function", "duration.value", (7, "ns")),
        RulesDuration(7),
        f"{DUR_NS} — unit ns: nanoseconds",
    ),
    (
        "duration.value(1, 'y')",
        ("function", "duration.value", (1, "y")),
        ERROR,
        f"{DUR_NS} — y is not a unit",
    ),
    (
        "duration.value(1.5, 's')",
        ("function", "duration.value", (1.5, "s")),
        ERROR,
        f"{DUR_NS} — magnitude is a rules.Integer",
    ),
    (
        "duration.value(315576000001, 's')",
        ("function", "duration.value", (315_576_000_001, "s")),
        ERROR,
        f"{DUR} — seconds range from -315,576,000,000 to +315,576,000,000",
    ),
]
