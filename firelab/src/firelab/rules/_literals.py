"""Decoding of literal tokens: escapes in strings and bytes, and int and float ranges.

Escapes are those of CEL, on which the rules language is built: `\\a \\b \\f \\n \\r \\t \\v`,
`\\\\ \\' \\" \\` \\?`, `\\xHH`, octal `\\ooo`, `\\uHHHH` and `\\UHHHHHHHH`. In a string, a hex or
octal escape is a code point; in bytes it is one byte and every other character contributes its
UTF-8 encoding.
"""

from __future__ import annotations

import math

from firelab._errors import FirelabError

__all__ = ["INT64_MAX", "INT64_MIN", "LiteralError", "decode_float", "decode_int", "decode_quoted"]

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "`": "`",
    "?": "?",
}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_OCTAL_DIGITS = frozenset("01234567")


class LiteralError(FirelabError, ValueError):
    """A malformed literal; `offset` is the index of the offending character in the token."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def decode_quoted(token: str) -> str | bytes:
    """The value of a STRING or BYTES token, quotes included (`'a\\n'`, `b"\\x00"`)."""
    as_bytes = token[0] in "bB"
    start = 2 if as_bytes else 1
    body = token[start:-1]
    chunks: list[str | bytes] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            chunks.append(char)
            index += 1
            continue
        value, index = _decode_escape(body, index, start, as_bytes=as_bytes)
        chunks.append(value)
    if not as_bytes:
        return "".join(chunk for chunk in chunks if isinstance(chunk, str))
    return b"".join(
        chunk if isinstance(chunk, bytes) else chunk.encode("utf-8") for chunk in chunks
    )


def _decode_escape(body: str, index: int, start: int, *, as_bytes: bool) -> tuple[str | bytes, int]:
    """Decode the escape at `body[index]` (a backslash); return its value and the next index."""
    if index + 1 >= len(body):
        raise LiteralError(start + index, "incomplete escape sequence")
    kind = body[index + 1]
    if kind in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[kind], index + 2
    if kind in "xX":
        return _code_escape(body, index, start, 2, as_bytes=as_bytes)
    if kind == "u":
        return _code_escape(body, index, start, 4, as_bytes=False)
    if kind == "U":
        return _code_escape(body, index, start, 8, as_bytes=False)
    if kind in _OCTAL_DIGITS:
        digits = body[index + 1 : index + 4]
        if len(digits) != 3 or not set(digits) <= _OCTAL_DIGITS or digits[0] not in "0123":
            raise LiteralError(start + index, "octal escape needs three octal digits (\\000-\\377)")
        code = int(digits, 8)
        return (bytes([code]) if as_bytes else chr(code)), index + 4
    raise LiteralError(start + index, f"unknown escape sequence '\\{kind}'")


def _code_escape(
    body: str, index: int, start: int, width: int, *, as_bytes: bool
) -> tuple[str | bytes, int]:
    digits = body[index + 2 : index + 2 + width]
    if len(digits) != width or not set(digits) <= _HEX_DIGITS:
        raise LiteralError(
            start + index, f"'\\{body[index + 1]}' escape needs {width} hexadecimal digits"
        )
    code = int(digits, 16)
    if as_bytes:
        return bytes([code]), index + 2 + width
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise LiteralError(start + index, f"'\\{body[index + 1]}{digits}' is not a code point")
    return chr(code), index + 2 + width


def decode_int(token: str) -> int:
    """The value of an INT token; up to 2**63 is accepted so `-9223372036854775808` parses."""
    value = int(token, 16) if token[:2] in ("0x", "0X") else int(token)
    if value > INT64_MAX + 1:
        raise LiteralError(0, f"integer literal {token} does not fit in 64 bits")
    return value


def decode_float(token: str) -> float:
    """The value of a FLOAT token; a literal too large for a 64-bit float is an error."""
    value = float(token)
    if math.isinf(value):
        raise LiteralError(0, f"float literal {token} is out of range")
    return value
