"""String helpers the rules need: UTF-16 code-unit semantics and cached RE2 patterns.

Rules strings are measured, indexed and ordered in UTF-16 code units (as in Java, where the
official emulator runs), while Python strings are sequences of code points. ASCII strings, the
common case, take a fast path where both agree; others go through a UTF-16 encoding.
"""

from __future__ import annotations

from typing import Any

import re2

from firelab.rules._values import RulesError

__all__ = [
    "compile_regex",
    "full_match",
    "utf16_index",
    "utf16_less",
    "utf16_size",
    "utf16_slice",
]

_UTF16 = "utf-16-le"
_PASS = "surrogatepass"
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


def utf16_size(text: str) -> int:
    """Number of UTF-16 code units (``'😀'`` counts 2)."""
    if text.isascii():
        return len(text)
    return len(text.encode(_UTF16, _PASS)) // 2


def utf16_index(text: str, index: int) -> str | None:
    """The code unit at ``index`` as a one-unit string, or None when out of range."""
    if text.isascii():
        if 0 <= index < len(text):
            return text[index]
        return None
    units = text.encode(_UTF16, _PASS)
    if 0 <= index < len(units) // 2:
        return units[2 * index : 2 * index + 2].decode(_UTF16, _PASS)
    return None


def utf16_slice(text: str, start: int, end: int) -> str | None:
    """Code units ``[start, end)``, or None unless ``0 <= start <= end <= size``."""
    if text.isascii():
        if 0 <= start <= end <= len(text):
            return text[start:end]
        return None
    units = text.encode(_UTF16, _PASS)
    if 0 <= start <= end <= len(units) // 2:
        return units[2 * start : 2 * end].decode(_UTF16, _PASS)
    return None


def utf16_less(left: str, right: str) -> bool:
    """``left < right`` comparing UTF-16 code units lexicographically."""
    if left.isascii() and right.isascii():
        return left < right
    return left.encode("utf-16-be", _PASS) < right.encode("utf-16-be", _PASS)


_CACHE: dict[str, Any] = {}
_CACHE_LIMIT = 1024
# google-re2's matcher without its Python-side span decoding: a whole-string test on UTF-8 bytes
# is several times faster through the underlying RE2 object. Absent in other re2 builds.
_RE2_CLASS = getattr(getattr(re2, "_re2", None), "RE2", None)
_ANCHOR_BOTH = getattr(getattr(_RE2_CLASS, "Anchor", None), "ANCHOR_BOTH", None)
_NO_SPAN = (-1, -1)


def compile_regex(pattern: str) -> Any:
    """A compiled RE2 pattern (cached), or a RulesError for invalid RE2 syntax."""
    compiled = _CACHE.get(pattern)
    if compiled is not None:
        return compiled
    try:
        compiled = re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        return RulesError(f"invalid RE2 regular expression {pattern!r}: {detail}")
    except (TypeError, ValueError, UnicodeError) as exc:
        return RulesError(f"invalid regular expression {pattern!r}: {exc}")
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[pattern] = compiled
    return compiled


def full_match(compiled: Any, text: str) -> bool:
    """Whether the whole of ``text`` matches the compiled pattern."""
    raw = getattr(compiled, "_regexp", None)
    if raw is not None and _ANCHOR_BOTH is not None:
        data = text.encode("utf-8")
        return bool(raw.Match(_ANCHOR_BOTH, data, 0, len(data))[0] != _NO_SPAN)
    return compiled.fullmatch(text) is not None
