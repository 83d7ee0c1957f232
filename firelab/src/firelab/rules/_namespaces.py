"""The global namespaces: ``math``, ``hashing``, ``timestamp``, ``duration`` and ``latlng``.

https://firebase.google.com/docs/reference/rules/rules.math, rules.hashing, rules.timestamp,
rules.duration_, rules.latlng. Where the reference leaves a corner open, the choice follows
Java, where the official emulator runs: ``math.round`` rounds half up (``Math.round``), ``pow``
and ``sqrt`` follow ``Math.pow``/``Math.sqrt`` (NaN rather than an error for a negative base
with a fractional exponent).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import zlib
from collections.abc import Callable
from typing import Any

from firelab.rules._operators import check_duration, check_int, check_timestamp
from firelab.rules._values import RulesDuration, RulesError, RulesLatLng, Value, type_name

__all__ = ["FUNCTIONS", "FunctionTable", "crc32c", "java_pow"]

FunctionTable = dict[str, tuple[int, Callable[..., Value]]]

_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
_NANOS_PER_DAY = 86_400 * 1_000_000_000


def _expect(function: str, expected: str, got: Any) -> RulesError:
    return RulesError(f"{function}() expects {expected}, got {type_name(got)}")


def _is_number(value: Any) -> bool:
    return value.__class__ is int or value.__class__ is float


# --- math ---------------------------------------------------------------------------------


def _abs(num: Any) -> Value:
    if num.__class__ is int:
        return check_int(abs(num))
    if num.__class__ is float:
        return abs(num)
    return _expect("math.abs", "a number", num)


def _to_int(function: str, value: float) -> Value:
    if math.isnan(value) or math.isinf(value):
        return RulesError(f"{function}() cannot turn {value} into an integer")
    return check_int(int(value))


def _ceil(num: Any) -> Value:
    if num.__class__ is int:
        return num
    if num.__class__ is float:
        return _to_int("math.ceil", math.ceil(num) if math.isfinite(num) else num)
    return _expect("math.ceil", "a number", num)


def _floor(num: Any) -> Value:
    if num.__class__ is int:
        return num
    if num.__class__ is float:
        return _to_int("math.floor", math.floor(num) if math.isfinite(num) else num)
    return _expect("math.floor", "a number", num)


def _round(num: Any) -> Value:
    if num.__class__ is int:
        return num
    if num.__class__ is not float:
        return _expect("math.round", "a number", num)
    if not math.isfinite(num):
        return _to_int("math.round", num)
    low = math.floor(num)
    return _to_int("math.round", low + 1 if num - low >= 0.5 else low)


def _is_infinite(num: Any) -> Value:
    if num.__class__ is float:
        return math.isinf(num)
    if num.__class__ is int:
        return False
    return _expect("math.isInfinite", "a number", num)


def _is_nan(num: Any) -> Value:
    if num.__class__ is float:
        return math.isnan(num)
    if num.__class__ is int:
        return False
    return _expect("math.isNaN", "a number", num)


def _is_odd_integer(value: float) -> bool:
    return math.isfinite(value) and value == math.floor(value) and math.fmod(value, 2.0) != 0.0


def java_pow(base: float, exponent: float) -> float:
    """``Math.pow`` semantics: never raises; NaN and infinities as Java defines them."""
    if exponent == 0.0:
        return 1.0
    if math.isnan(exponent) or math.isnan(base):
        return math.nan
    if math.isinf(exponent) and abs(base) == 1.0:
        return math.nan
    try:
        return math.pow(base, exponent)
    except OverflowError:
        negative = base < 0 and _is_odd_integer(exponent)
        return -math.inf if negative else math.inf
    except (ValueError, ZeroDivisionError):
        if base == 0.0:
            negative = math.copysign(1.0, base) < 0 and _is_odd_integer(exponent)
            return -math.inf if negative else math.inf
        return math.nan


def _pow(base: Any, exponent: Any) -> Value:
    if not _is_number(base):
        return _expect("math.pow", "a number base", base)
    if not _is_number(exponent):
        return _expect("math.pow", "a number exponent", exponent)
    return java_pow(float(base), float(exponent))


def _sqrt(num: Any) -> Value:
    if not _is_number(num):
        return _expect("math.sqrt", "a number", num)
    value = float(num)
    if math.isnan(value) or value < 0:
        return math.nan
    return math.sqrt(value)


# --- hashing ------------------------------------------------------------------------------


def _crc32c_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC32C_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli), as Cloud Storage uses for object checksums."""
    crc = 0xFFFFFFFF
    table = _CRC32C_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _hash_input(function: str, value: Any) -> bytes | RulesError:
    if value.__class__ is bytes:
        return value
    if value.__class__ is str:
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError:
            return RulesError(f"{function}(): the string holds an unpaired UTF-16 surrogate")
    return _expect(function, "bytes or a string", value)


def _hasher(name: str, digest: Callable[[bytes], bytes]) -> Callable[[Any], Value]:
    def apply(value: Any) -> Value:
        data = _hash_input(name, value)
        if data.__class__ is RulesError:
            return data
        return digest(data)  # type: ignore[arg-type]

    return apply


# --- timestamp, duration, latlng ----------------------------------------------------------


def _timestamp_date(year: Any, month: Any, day: Any) -> Value:
    for part in (year, month, day):
        if part.__class__ is not int:
            return _expect("timestamp.date", "integer year, month and day", part)
    try:
        calendar = _dt.date(year, month, day)
    except (ValueError, OverflowError) as exc:
        return RulesError(f"timestamp.date({year}, {month}, {day}) is not a date: {exc}")
    return check_timestamp((calendar.toordinal() - _EPOCH_ORDINAL) * _NANOS_PER_DAY)


def _timestamp_value(epoch_millis: Any) -> Value:
    if epoch_millis.__class__ is not int:
        return _expect("timestamp.value", "integer milliseconds", epoch_millis)
    return check_timestamp(epoch_millis * 1_000_000)


_UNIT_NANOS = {
    "w": 7 * _NANOS_PER_DAY,
    "d": _NANOS_PER_DAY,
    "h": 3_600_000_000_000,
    "m": 60_000_000_000,
    "s": 1_000_000_000,
    "ms": 1_000_000,
    "ns": 1,
}


def _duration_value(magnitude: Any, unit: Any) -> Value:
    if magnitude.__class__ is not int:
        return _expect("duration.value", "an integer magnitude", magnitude)
    if unit.__class__ is not str:
        return _expect("duration.value", "a string unit", unit)
    scale = _UNIT_NANOS.get(unit)
    if scale is None:
        return RulesError(f"duration.value(): unknown unit '{unit}'; use w, d, h, m, s, ms or ns")
    return check_duration(magnitude * scale)


def _duration_time(hours: Any, mins: Any, secs: Any, nanos: Any) -> Value:
    for part in (hours, mins, secs, nanos):
        if part.__class__ is not int:
            return _expect("duration.time", "integer hours, minutes, seconds and nanos", part)
    total = ((hours * 60 + mins) * 60 + secs) * 1_000_000_000 + nanos
    return check_duration(total)


def _duration_abs(duration: Any) -> Value:
    if duration.__class__ is not RulesDuration:
        return _expect("duration.abs", "a duration", duration)
    return RulesDuration(abs(duration.nanos))


def _latlng_value(lat: Any, lng: Any) -> Value:
    if not _is_number(lat) or not _is_number(lng):
        return _expect(
            "latlng.value", "number latitude and longitude", lat if _is_number(lng) else lng
        )
    latitude = float(lat)
    longitude = float(lng)
    if not -90.0 <= latitude <= 90.0:
        return RulesError(f"latlng.value(): latitude {latitude} is outside [-90, 90]")
    if not -180.0 <= longitude <= 180.0:
        return RulesError(f"latlng.value(): longitude {longitude} is outside [-180, 180]")
    return RulesLatLng(latitude, longitude)


FUNCTIONS: FunctionTable = {
    "math.abs": (1, _abs),
    "math.ceil": (1, _ceil),
    "math.floor": (1, _floor),
    "math.isInfinite": (1, _is_infinite),
    "math.isNaN": (1, _is_nan),
    "math.pow": (2, _pow),
    "math.round": (1, _round),
    "math.sqrt": (1, _sqrt),
    "hashing.crc32": (1, _hasher("hashing.crc32", lambda data: zlib.crc32(data).to_bytes(4))),
    "hashing.crc32c": (1, _hasher("hashing.crc32c", lambda data: crc32c(data).to_bytes(4))),
    "hashing.md5": (1, _hasher("hashing.md5", lambda data: hashlib.md5(data).digest())),
    "hashing.sha256": (1, _hasher("hashing.sha256", lambda data: hashlib.sha256(data).digest())),
    "timestamp.date": (3, _timestamp_date),
    "timestamp.value": (1, _timestamp_value),
    "duration.abs": (1, _duration_abs),
    "duration.time": (4, _duration_time),
    "duration.value": (2, _duration_value),
    "latlng.value": (2, _latlng_value),
}
