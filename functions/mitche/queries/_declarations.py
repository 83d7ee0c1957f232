"""The vocabulary of the query catalog: a query is data, declared once.

A `CatalogQuery` names where it reads (a collection path template or a collection group), its
filters, orderings, limit and projection, and who runs it (`Caller`). Runtime values are
`Param` placeholders; the signed-in member's uid is the placeholder `UID`. Nothing here touches
Firestore: `mitche.queries.build` turns a declaration and its parameters into a
google-cloud-firestore `Query`, and the index generator reads the same declarations.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Literal

from mitche.queries._errors import QueryParameterError

__all__ = [
    "DOCUMENT_ID",
    "UID",
    "Caller",
    "CatalogQuery",
    "Nearest",
    "Op",
    "Order",
    "Param",
    "ParamKind",
    "Where",
]

Op = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not-in", "array_contains"]
"""Filter operators, spelled as google-cloud-firestore's `FieldFilter` spells them."""

ParamKind = Literal["text", "uid", "int", "timestamp", "reference", "list"]
"""What a placeholder stands for: a string, a member's uid, an integer, a timezone-aware
datetime, a document path (bound as a DocumentReference), or a list of strings (`in`)."""

DOCUMENT_ID: Final = "__name__"
"""The field path of the document id, for orderings and cursors."""

_UID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_NAME_RE: Final = re.compile(r"^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$")


class Caller(StrEnum):
    """Who runs a query: a client app acting for someone, or Cloud Functions."""

    VISITOR = "visitor"
    """A client app, signed out."""
    MEMBER = "member"
    """A client app, any signed-in member (the uid is the `UID` placeholder)."""
    MODERATOR = "moderator"
    """A client app signed in with the moderator (or admin) role claim."""
    ADMIN = "admin"
    """A client app signed in with the admin role claim (the console, an admin screen)."""
    FUNCTIONS = "functions"
    """Cloud Functions and commands, through the Admin SDK (rules do not apply)."""

    @property
    def is_client(self) -> bool:
        """Whether firestore.rules judge the query."""
        return self is not Caller.FUNCTIONS


@dataclass(frozen=True, slots=True)
class Param:
    """A runtime value the caller supplies when the query is built."""

    name: str
    kind: ParamKind = "text"
    choices: tuple[str, ...] = ()
    """Allowed values (an enum's values); for a `list` parameter, allowed items."""
    maximum: int | None = None
    """Largest allowed value of an `int` parameter (a limit the rules cap)."""

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"parameter name {self.name!r} must be a Python identifier")

    def check(self, value: object) -> None:
        """Raise QueryParameterError (naming the parameter) unless `value` fits."""
        problem = self._problem(value)
        if problem:
            raise QueryParameterError(f"parameter {self.name!r} {problem}")

    def _problem(self, value: object) -> str:
        if self.kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                return f"is {value!r}, must be a positive integer"
            if self.maximum is not None and value > self.maximum:
                return f"is {value}, at most {self.maximum} allowed"
            return ""
        if self.kind == "timestamp":
            if not isinstance(value, dt.datetime) or value.tzinfo is None:
                return f"is {value!r}, must be a timezone-aware datetime"
            return ""
        if self.kind == "list":
            if not isinstance(value, list | tuple) or not 1 <= len(value) <= 30:
                return f"is {value!r}, must be a list of 1 to 30 strings"
            wrong = [item for item in value if self.choices and item not in self.choices]
            if wrong or not all(isinstance(item, str) for item in value):
                return f"has {wrong or value!r}; items must be among {list(self.choices)}"
            return ""
        if not isinstance(value, str) or not value:
            return f"is {value!r}, must be a non-empty string"
        if self.kind == "uid" and not _UID_RE.match(value):
            return f"is {value!r}, not a uid"
        if self.kind == "reference" and (value.count("/") % 2 != 1 or "//" in value):
            return f"is {value!r}, not a document path (collection/id[/collection/id...])"
        if self.choices and value not in self.choices:
            return f"is {value!r}, must be one of {list(self.choices)}"
        return ""


UID: Final = Param("uid", "uid")
"""The signed-in member's uid (for a client query), or the member a function works on."""

Value = str | int | bool | None | tuple[str, ...] | Param


@dataclass(frozen=True, slots=True)
class Where:
    """`where(field, op, value)`; `value` is a constant or a `Param`."""

    field: str
    op: Op
    value: Value

    def __post_init__(self) -> None:
        if not _NAME_RE.match(self.field):
            raise ValueError(f"filter field {self.field!r} is not a dotted camelCase path")
        if self.op in ("in", "not-in") and not isinstance(self.value, tuple | Param):
            raise ValueError(f"filter on {self.field!r}: {self.op} needs a tuple or a parameter")


@dataclass(frozen=True, slots=True)
class Order:
    """`order_by(field, direction)`; `DOCUMENT_ID` orders by document id."""

    field: str
    direction: Literal["asc", "desc"] = "asc"

    def __post_init__(self) -> None:
        if self.field != DOCUMENT_ID and not _NAME_RE.match(self.field):
            raise ValueError(f"order field {self.field!r} is not a dotted camelCase path")


Measure = Literal["COSINE", "EUCLIDEAN", "DOT_PRODUCT"]
"""Vector distance measures, spelled as google-cloud-firestore's `DistanceMeasure` names them."""


@dataclass(frozen=True, slots=True)
class Nearest:
    """A `find_nearest` stage after the filters: the vector field, the dimension of its
    vectors (the vector index's), the measure, how many neighbours and where the distance
    goes. The query vector is given when the query is built (`build_nearest`)."""

    field: str
    dimension: int
    measure: Measure = "COSINE"
    limit: int | Param = 100
    distance_field: str | None = None

    def __post_init__(self) -> None:
        if not _NAME_RE.match(self.field):
            raise ValueError(f"vector field {self.field!r} is not a dotted camelCase path")
        if not 1 <= self.dimension <= 2048:
            raise ValueError(f"vector dimension {self.dimension} is not within 1..2048")


@dataclass(frozen=True, slots=True)
class CatalogQuery:
    """One query the apps or the functions make, declared once."""

    name: str
    """Stable dotted name (`requests.openByUrgency`), used by code and tests to find it."""
    purpose: str
    """The screen or job it serves, in a sentence."""
    caller: Caller
    collection: str
    """Collection path template (`communityEvents/{eventId}/registrations`), or the collection
    id of a collection-group query."""
    where: tuple[Where, ...] = ()
    order: tuple[Order, ...] = ()
    limit: int | Param | None = None
    group: bool = False
    """A collection-group query over every collection named `collection`."""
    select: tuple[str, ...] | None = None
    """Projection: only these fields are read (an empty tuple reads document ids only)."""
    paged: bool = False
    """Whether callers continue it with a cursor (`start_after`) on its orderings."""
    guard: tuple[str, ...] = field(default=())
    """The filter fields (or `limit`) firestore.rules require of this caller: without them the
    query must be denied. Empty when the rules decide by role or by path instead."""
    nearest: Nearest | None = None
    """A vector search stage: the query returns the nearest documents that pass the filters."""

    def __post_init__(self) -> None:
        if self.group and "/" in self.collection:
            raise ValueError(f"{self.name}: a collection-group query names a collection id")
        if self.collection.count("/") % 2 != 0:
            raise ValueError(f"{self.name}: {self.collection!r} is not a collection path")
        known = {w.field for w in self.where} | {"limit"}
        unknown = [name for name in self.guard if name not in known]
        if unknown:
            raise ValueError(f"{self.name}: guard names {unknown}, which it does not filter on")
        if self.guard and not self.caller.is_client:
            raise ValueError(f"{self.name}: only client queries have rules guards")

    def path_params(self) -> tuple[str, ...]:
        """Names of the `{wildcards}` of the collection path template."""
        names = [name for _, name, _, _ in string.Formatter().parse(self.collection) if name]
        return tuple(names)

    def params(self) -> Iterator[Param]:
        """Every placeholder of the query (path wildcards are text parameters), once each."""
        seen: dict[str, Param] = {}
        for name in self.path_params():
            seen.setdefault(name, UID if name == UID.name else Param(name))
        for clause in self.where:
            if isinstance(clause.value, Param):
                seen.setdefault(clause.value.name, clause.value)
        if isinstance(self.limit, Param):
            seen.setdefault(self.limit.name, self.limit)
        if self.nearest is not None and isinstance(self.nearest.limit, Param):
            seen.setdefault(self.nearest.limit.name, self.nearest.limit)
        yield from seen.values()
