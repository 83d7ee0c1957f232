"""Document path patterns of Firestore triggers (`users/{userId}`, `logs/{path=**}`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from firelab._errors import FirelabError

__all__ = ["DocumentPattern", "DocumentPatternError"]


class DocumentPatternError(FirelabError, ValueError):
    """A trigger's document pattern the Firestore trigger syntax does not allow."""


@dataclass(frozen=True, slots=True)
class _Segment:
    literal: str | None
    """The literal text, or None for a wildcard."""
    capture: str | None
    """The name the wildcard binds in `event.params`, if it has one."""
    multi: bool


def _parse(pattern: str) -> tuple[_Segment, ...]:
    segments: list[_Segment] = []
    for raw in pattern.strip("/").split("/"):
        if raw.startswith("{") and raw.endswith("}"):
            name, _, rest = raw[1:-1].partition("=")
            if rest not in ("", "*", "**"):
                raise DocumentPatternError(
                    f"unsupported wildcard {raw!r} in document pattern {pattern!r}"
                )
            segments.append(_Segment(None, name, rest == "**"))
        elif raw in ("*", "**"):
            segments.append(_Segment(None, None, raw == "**"))
        elif not raw or "{" in raw or "}" in raw:
            raise DocumentPatternError(f"invalid segment {raw!r} in document pattern {pattern!r}")
        else:
            segments.append(_Segment(raw, None, False))
    if sum(s.multi for s in segments) > 1:
        raise DocumentPatternError(
            f"document pattern {pattern!r} has more than one multi-segment wildcard"
        )
    return tuple(segments)


@dataclass(frozen=True, slots=True)
class DocumentPattern:
    """A trigger's document pattern; `match` gives the wildcard values or None."""

    pattern: str
    _segments: tuple[_Segment, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_segments", _parse(self.pattern))

    def match(self, document: str) -> dict[str, str] | None:
        """Wildcard bindings if `document` (a path relative to `documents/`) matches."""
        parts = document.strip("/").split("/")
        multi = next((i for i, s in enumerate(self._segments) if s.multi), None)
        if multi is None:
            if len(parts) != len(self._segments):
                return None
            return _bind(self._segments, parts)
        head, tail = self._segments[:multi], self._segments[multi + 1 :]
        if len(parts) < len(head) + len(tail):
            return None
        split = len(parts) - len(tail)
        bound_head = _bind(head, parts[: len(head)])
        bound_tail = _bind(tail, parts[split:])
        if bound_head is None or bound_tail is None:
            return None
        params = {**bound_head, **bound_tail}
        capture = self._segments[multi].capture
        if capture is not None:
            params[capture] = "/".join(parts[len(head) : split])
        return params


def _bind(segments: tuple[_Segment, ...], parts: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    for segment, part in zip(segments, parts, strict=True):
        if segment.literal is not None:
            if segment.literal != part:
                return None
        elif segment.capture is not None:
            params[segment.capture] = part
    return params
