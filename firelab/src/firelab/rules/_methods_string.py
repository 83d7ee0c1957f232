"""Methods of rules.String and rules.Bytes.

https://firebase.google.com/docs/reference/rules/rules.String and rules.Bytes. Sizes count
UTF-16 code units; ``matches`` is a whole-string RE2 match; ``replace`` and ``split`` use RE2
patterns with the semantics of RE2/J, the Java port the official emulator runs on:
``replace`` substitutes every match and reads ``$1``/``${name}`` group references and ``\\``
escapes in the replacement; ``split`` drops trailing empty strings.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from firelab.rules._strings import compile_regex, full_match, utf16_size
from firelab.rules._values import RulesError, Value, type_name

__all__ = ["METHODS", "MethodTable", "expect"]

MethodTable = dict[tuple[type, str], tuple[int, Callable[..., Value]]]

# Java's String.trim() removes every character up to U+0020 at both ends.
_TRIM_CHARS = "".join(chr(code) for code in range(0x21))


def expect(method: str, expected: str, got: Value) -> RulesError:
    """The error for an argument of the wrong type."""
    return RulesError(f"{method}() expects {expected}, got {type_name(got)}")


def _lower(text: str) -> Value:
    return text.lower()


def _upper(text: str) -> Value:
    return text.upper()


def _trim(text: str) -> Value:
    return text.strip(_TRIM_CHARS)


def _size(text: str) -> Value:
    return utf16_size(text)


def _to_utf8(text: str) -> Value:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return RulesError("toUtf8(): the string holds an unpaired UTF-16 surrogate")


def _matches(text: str, regex: Any) -> Value:
    if regex.__class__ is not str:
        return expect("matches", "a string regular expression", regex)
    pattern = compile_regex(regex)
    if pattern.__class__ is RulesError:
        return pattern
    return full_match(pattern, text)


def _replace(text: str, regex: Any, sub: Any) -> Value:
    if regex.__class__ is not str:
        return expect("replace", "a string regular expression", regex)
    if sub.__class__ is not str:
        return expect("replace", "a string replacement", sub)
    pattern = compile_regex(regex)
    if pattern.__class__ is RulesError:
        return pattern
    literal = "$" not in sub and "\\" not in sub
    parts: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        parts.append(text[position:start])
        if literal:
            parts.append(sub)
        else:
            expanded = _expand(sub, match, pattern)
            if expanded.__class__ is RulesError:
                return expanded
            parts.append(expanded)  # type: ignore[arg-type]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _expand(template: str, match: Any, pattern: Any) -> Value:
    """Expand ``$n``, ``${name}`` and ``\\x`` in a replacement (java.util.regex / RE2/J rules)."""
    out: list[str] = []
    group_count: int = pattern.groups
    i = 0
    length = len(template)
    while i < length:
        char = template[i]
        if char == "\\":
            if i + 1 >= length:
                return RulesError("replace(): replacement ends with a lone backslash")
            out.append(template[i + 1])
            i += 2
            continue
        if char != "$":
            out.append(char)
            i += 1
            continue
        i += 1
        if i < length and template[i] == "{":
            close = template.find("}", i)
            if close < 0:
                return RulesError("replace(): unterminated ${name} group reference")
            name = template[i + 1 : close]
            if name not in pattern.groupindex:
                return RulesError(f"replace(): no group named '{name}'")
            out.append(match.group(name) or "")
            i = close + 1
            continue
        if i >= length or not template[i].isdigit():
            return RulesError("replace(): '$' must be followed by a group number or {name}")
        number = int(template[i])
        if number > group_count:
            return RulesError(f"replace(): no group {number} in the pattern")
        i += 1
        while i < length and template[i].isdigit():
            candidate = number * 10 + int(template[i])
            if candidate > group_count:
                break
            number = candidate
            i += 1
        out.append(match.group(number) or "")
    return "".join(out)


def _split(text: str, regex: Any) -> Value:
    if regex.__class__ is not str:
        return expect("split", "a string regular expression", regex)
    pattern = compile_regex(regex)
    if pattern.__class__ is RulesError:
        return pattern
    pieces: list[Value] = []
    position = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if end == 0:
            continue  # A zero-width match at the start never yields a leading empty piece.
        pieces.append(text[position:start])
        position = end
    if position == 0 and not pieces:
        return [text]
    pieces.append(text[position:])
    while pieces and pieces[-1] == "":
        pieces.pop()
    return pieces


def _bytes_size(data: bytes) -> Value:
    return len(data)


def _to_base64(data: bytes) -> Value:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _to_hex(data: bytes) -> Value:
    return data.hex().upper()


METHODS: MethodTable = {
    (str, "lower"): (0, _lower),
    (str, "upper"): (0, _upper),
    (str, "trim"): (0, _trim),
    (str, "size"): (0, _size),
    (str, "toUtf8"): (0, _to_utf8),
    (str, "matches"): (1, _matches),
    (str, "replace"): (2, _replace),
    (str, "split"): (1, _split),
    (bytes, "size"): (0, _bytes_size),
    (bytes, "toBase64"): (0, _to_base64),
    (bytes, "toHexString"): (0, _to_hex),
}
