"""The one exception the parser raises: a syntax error that says where and what was expected."""

from __future__ import annotations

from collections.abc import Iterable

from firelab._errors import FirelabError

__all__ = ["RulesSyntaxError"]


class RulesSyntaxError(FirelabError, ValueError):
    """A rules file that does not parse, located by file, 1-based line and 1-based column.

    `expected` names what would have been accepted at that point (terminals rendered for a
    human: `';'`, `identifier`, `end of input`), empty when the problem is not a missing
    token but a malformed one (an unknown method, a bad escape, a second recursive wildcard).
    """

    filename: str
    line: int
    column: int
    expected: tuple[str, ...]
    message: str
    source_line: str | None

    def __init__(
        self,
        filename: str,
        line: int,
        column: int,
        expected: Iterable[str],
        message: str,
        *,
        source_line: str | None = None,
    ) -> None:
        self.filename = filename
        self.line = line
        self.column = column
        self.expected = tuple(expected)
        self.message = message
        self.source_line = source_line
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.filename}:{self.line}:{self.column}: {self.message}"
        if self.expected:
            text += f"; expected {_join_alternatives(self.expected)}"
        if self.source_line is not None:
            caret = " " * (self.column - 1) + "^"
            text += f"\n  {self.source_line}\n  {caret}"
        return text

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (self.filename, self.line, self.column, self.expected, self.message, self.source_line),
        )


def _rebuild(
    filename: str,
    line: int,
    column: int,
    expected: tuple[str, ...],
    message: str,
    source_line: str | None,
) -> RulesSyntaxError:
    """Unpickle a RulesSyntaxError (its constructor takes more than the message)."""
    return RulesSyntaxError(filename, line, column, expected, message, source_line=source_line)


def _join_alternatives(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]
