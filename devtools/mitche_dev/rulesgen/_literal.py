"""Rules-language literals and layout: quoted strings, lists, and conjunctions wrapped to fit
the line length the rest of firestore.rules keeps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

__all__ = [
    "LINE_LENGTH",
    "conjunction",
    "operators",
    "quote",
    "string_list",
    "wrap",
]

LINE_LENGTH: Final = 96
"""Width the generated lines are wrapped to: the repository's 100 columns, less the four the
section is indented by inside firestore.rules."""

_ESCAPES: Final = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quote(text: str) -> str:
    """A single-quoted rules string whose value is `text` (CEL escapes: a regular expression's
    backslashes are doubled)."""
    return "'" + "".join(_ESCAPES.get(char, char) for char in text) + "'"


def string_list(values: Iterable[str], *, indent: int = 0, start: int | None = None) -> str:
    """A rules list literal of strings, wrapped onto continuation lines when it does not fit
    from column `start` (default `indent`) with a closing `;` or `)` after it; continuation
    lines are indented from `indent`."""
    items = [quote(value) for value in values]
    one_line = "[" + ", ".join(items) + "]"
    if (indent if start is None else start) + len(one_line) + 2 <= LINE_LENGTH:
        return one_line
    pad = " " * (indent + 2)
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}, {item}" if current else item
        if current and len(pad) + len(candidate) + 1 > LINE_LENGTH:
            lines.append(current + ",")
            current = item
        else:
            current = candidate
    lines.append(current)
    body = "\n".join(pad + line for line in lines)
    return "[\n" + body + "\n" + " " * indent + "]"


def conjunction(terms: Sequence[str], *, indent: int) -> str:
    """`terms` joined with `&&`, one term per line after the first (`true` when empty), each
    wrapped to the line length; `indent` is the column of the `return` they follow."""
    if not terms:
        return "true"
    column = indent + 2
    lines = [wrap(terms[0], start=indent + len("return "), indent=column + 3)]
    lines += [
        f"{' ' * column}&& {wrap(term, start=column + 3, indent=column + 3)}" for term in terms[1:]
    ]
    return "\n".join(lines)


def operators(text: str) -> list[tuple[int, int]]:
    """(position, nesting depth) of each ` && ` and ` || ` outside string literals."""
    found: list[tuple[int, int]] = []
    depth = 0
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == "'":
                quoted = False
        elif char == "'":
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif text.startswith((" && ", " || "), index):
            found.append((index, depth))
        index += 1
    return found


def wrap(text: str, *, start: int, indent: int, width: int = LINE_LENGTH) -> str:
    """`text` broken before `&&` and `||` so that its lines fit in `width`, preferring the
    least nested operators; the first line starts at column `start`, each continuation line at
    `indent` plus two columns per level of nesting. A single line when it already fits."""
    if start + len(text) <= width:
        return text
    pieces: list[str] = []
    begin, column = 0, start
    candidates = operators(text)
    while column + len(text) - begin > width:
        later = [(pos, depth) for pos, depth in candidates if pos > begin]
        if not later:
            break
        fitting = [item for item in later if column + item[0] - begin <= width]
        if fitting:
            shallowest = min(depth for _, depth in fitting)
            pos, depth = max(item for item in fitting if item[1] == shallowest)
        else:
            pos, depth = later[0]
        pieces.append(text[begin:pos])
        begin = pos + 1
        column = indent + 2 * depth
        pieces.append("\n" + " " * column)
    pieces.append(text[begin:])
    return "".join(pieces)
