"""Methods of rules.Timestamp, rules.Duration, rules.LatLng and rules.Path.

https://firebase.google.com/docs/reference/rules/rules.Timestamp, rules.Duration,
rules.LatLng, rules.Path. Timestamps are UTC; ``dayOfWeek`` counts Monday as 1 and Sunday as 7
(ISO 8601, as java.time does); ``seconds()`` and ``nanos()`` are the fields within the minute
and the second. Durations split into a seconds part and a same-signed nanoseconds part.
Distances are great-circle metres on a sphere of radius 6,371,010 m (S2's Earth radius).
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

from firelab.rules._methods_string import MethodTable, expect
from firelab.rules._values import (
    NANOS_PER_SECOND,
    RulesDuration,
    RulesError,
    RulesLatLng,
    RulesPath,
    RulesTimestamp,
    Value,
)

__all__ = ["EARTH_RADIUS_M", "METHODS", "duration_parts", "format_path_segment"]

EARTH_RADIUS_M = 6_371_010.0
_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
_SECONDS_PER_DAY = 86_400


def _split(stamp: RulesTimestamp) -> tuple[_dt.date, int, int]:
    """(calendar date, second of the day, nanosecond of the second)."""
    seconds, sub = divmod(stamp.nanos, NANOS_PER_SECOND)
    days, second_of_day = divmod(seconds, _SECONDS_PER_DAY)
    return _dt.date.fromordinal(_EPOCH_ORDINAL + days), second_of_day, sub


def _date(stamp: RulesTimestamp) -> Value:
    _, second_of_day, sub = _split(stamp)
    return RulesTimestamp(stamp.nanos - second_of_day * NANOS_PER_SECOND - sub)


def _year(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[0].year


def _month(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[0].month


def _day(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[0].day


def _day_of_week(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[0].isoweekday()


def _day_of_year(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[0].timetuple().tm_yday


def _hours(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[1] // 3600


def _minutes(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[1] // 60 % 60


def _seconds(stamp: RulesTimestamp) -> Value:
    return _split(stamp)[1] % 60


def _nanos(stamp: RulesTimestamp) -> Value:
    return stamp.nanos % NANOS_PER_SECOND


def _time(stamp: RulesTimestamp) -> Value:
    _, second_of_day, sub = _split(stamp)
    return RulesDuration(second_of_day * NANOS_PER_SECOND + sub)


def _to_millis(stamp: RulesTimestamp) -> Value:
    return stamp.nanos // 1_000_000


def duration_parts(nanos: int) -> tuple[int, int]:
    """(seconds, nanos) of a duration, both with the duration's sign."""
    seconds = abs(nanos) // NANOS_PER_SECOND
    if nanos < 0:
        seconds = -seconds
    return seconds, nanos - seconds * NANOS_PER_SECOND


def _duration_seconds(duration: RulesDuration) -> Value:
    return duration_parts(duration.nanos)[0]


def _duration_nanos(duration: RulesDuration) -> Value:
    return duration_parts(duration.nanos)[1]


def _latitude(point: RulesLatLng) -> Value:
    return point.lat


def _longitude(point: RulesLatLng) -> Value:
    return point.lng


def _distance(point: RulesLatLng, other: Any) -> Value:
    if other.__class__ is not RulesLatLng:
        return expect("distance", "a latlng", other)
    lat1 = math.radians(point.lat)
    lat2 = math.radians(other.lat)
    dlat = lat2 - lat1
    dlng = math.radians(other.lng - point.lng)
    half = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(half)))


def format_path_segment(value: Any) -> str | None:
    """How a value reads inside a path segment: strings as is, ints in decimal, else None."""
    if value.__class__ is str:
        return value
    if value.__class__ is int:
        return str(value)
    return None


def _bind(path: RulesPath, mapping: Any) -> Value:
    """Substitute ``$(name)`` segments from the map and record the map as bindings."""
    if mapping.__class__ is not dict:
        return expect("bind", "a map", mapping)
    segments: list[str] = []
    for segment in path.segments:
        if segment.startswith("$(") and segment.endswith(")") and segment[2:-1] in mapping:
            text = format_path_segment(mapping[segment[2:-1]])
            if text is None:
                return RulesError(f"bind(): value for '{segment[2:-1]}' must be a string or int")
            segments.append(text)
        else:
            segments.append(segment)
    return RulesPath(tuple(segments), {**path.bindings, **mapping})


METHODS: MethodTable = {
    (RulesTimestamp, "date"): (0, _date),
    (RulesTimestamp, "day"): (0, _day),
    (RulesTimestamp, "dayOfWeek"): (0, _day_of_week),
    (RulesTimestamp, "dayOfYear"): (0, _day_of_year),
    (RulesTimestamp, "hours"): (0, _hours),
    (RulesTimestamp, "minutes"): (0, _minutes),
    (RulesTimestamp, "month"): (0, _month),
    (RulesTimestamp, "nanos"): (0, _nanos),
    (RulesTimestamp, "seconds"): (0, _seconds),
    (RulesTimestamp, "time"): (0, _time),
    (RulesTimestamp, "toMillis"): (0, _to_millis),
    (RulesTimestamp, "year"): (0, _year),
    (RulesDuration, "nanos"): (0, _duration_nanos),
    (RulesDuration, "seconds"): (0, _duration_seconds),
    (RulesLatLng, "distance"): (1, _distance),
    (RulesLatLng, "latitude"): (0, _latitude),
    (RulesLatLng, "longitude"): (0, _longitude),
    (RulesPath, "bind"): (1, _bind),
}
