"""Conventions every collection model shares.

* camelCase on the wire (client apps read the same documents in JavaScript), snake_case in Python;
* unknown fields rejected, every string and list bounded, closed sets as enums;
* every top-level field states who writes it (`WrittenBy`), the machine-readable contract that
  firestore.rules enforces and the triggers rely on;
* Firestore-native values (timestamps, GeoPoints, document references) kept as the types the
  google-cloud-firestore client reads and writes, so a model round-trips through a document.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Final

from google.cloud.firestore_v1 import DocumentReference, GeoPoint
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo

__all__ = [
    "CLIENT",
    "CLIENT_CREATE",
    "REQUEST_TIME",
    "SERVER",
    "DocumentId",
    "DocumentPath",
    "FirestoreGeoPoint",
    "MitcheModel",
    "Timestamp",
    "Uid",
    "WrittenBy",
    "bounded_list",
    "bounded_text",
    "client_withdraws",
    "withdrawal_of",
    "written_by",
]


class WrittenBy(StrEnum):
    """Who may write a top-level field of a collection document."""

    CLIENT = "client"
    """The signed-in client, on create and on update (subject to the rules' ownership checks)."""
    CLIENT_CREATE = "client-create"
    """The client, on create only; immutable afterwards (author ids, creation time, kind)."""
    SERVER = "server"
    """Cloud Functions and admins only; clients can never write it."""
    CLIENT_WITHDRAW = "client-withdraw"
    """The server's, except that a client may set it on update to one fixed value, its
    withdrawal (`client_withdraws`), when a hand-written rule demands it (an organiser's
    material edit of an approved event withdraws the approval in the same write). Never on
    create; never any other value."""

    @property
    def server_owned(self) -> bool:
        """Whether the server owns the value: a client never creates it nor chooses it."""
        return self in {WrittenBy.SERVER, WrittenBy.CLIENT_WITHDRAW}


_WRITER_KEY: Final = "x-writtenBy"
_WITHDRAWAL_KEY: Final = "x-withdrawal"
REQUEST_TIME: Final = "serverTimestamp()"
"""In a withdrawal: the server's time of the write (the rules compare it to `request.time`)."""

CLIENT: Final = Field(json_schema_extra={_WRITER_KEY: WrittenBy.CLIENT.value})
CLIENT_CREATE: Final = Field(json_schema_extra={_WRITER_KEY: WrittenBy.CLIENT_CREATE.value})
SERVER: Final = Field(json_schema_extra={_WRITER_KEY: WrittenBy.SERVER.value})


def client_withdraws(withdrawal: dict[str, str]) -> Any:
    """The marker of a `WrittenBy.CLIENT_WITHDRAW` field and its one client value: a map of
    fixed strings, `REQUEST_TIME` standing for the write's server time. The rules, the flows
    and the client library's typed update accept exactly this value from a client."""
    return Field(
        json_schema_extra={
            _WRITER_KEY: WrittenBy.CLIENT_WITHDRAW.value,
            _WITHDRAWAL_KEY: dict(withdrawal),
        }
    )


def withdrawal_of(field: FieldInfo) -> dict[str, str]:
    """The value a client may write to a `WrittenBy.CLIENT_WITHDRAW` field."""
    extra = field.json_schema_extra
    withdrawal = extra.get(_WITHDRAWAL_KEY) if isinstance(extra, dict) else None
    if isinstance(withdrawal, dict):
        return {str(key): str(value) for key, value in withdrawal.items()}
    raise LookupError(f"field {field.alias or field.title!r} declares no withdrawal")


def written_by(field: FieldInfo) -> WrittenBy:
    """The writer declared on a model field; every top-level collection field must declare one."""
    extra = field.json_schema_extra
    writer = extra.get(_WRITER_KEY) if isinstance(extra, dict) else None
    if isinstance(writer, str):
        return WrittenBy(writer)
    raise LookupError(f"field {field.alias or field.title!r} declares no writer")


class MitcheModel(BaseModel):
    """Base of every stored document and nested map."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        use_attribute_docstrings=True,
        arbitrary_types_allowed=True,
        validate_default=True,
        ser_json_timedelta="float",
        regex_engine="python-re",
    )

    stored_nulls: ClassVar[frozenset[str]] = frozenset()
    """Wire names of top-level fields written as an explicit null when unset, because a
    query filters on `field == null` (an absent field matches no filter)."""

    def to_firestore(self) -> dict[str, Any]:
        """The document as the Firestore client writes it (camelCase keys, native values)."""
        data = self.model_dump(by_alias=True, exclude_none=True)
        for name in self.stored_nulls:
            data.setdefault(name, None)
        return data


def bounded_text(max_length: int, *, min_length: int = 0) -> Any:
    """A string type with explicit bounds; every stored string has one."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length)]


def bounded_list(item: Any, max_length: int, *, min_length: int = 0) -> Any:
    """A list type with an explicit bound on its length."""
    return Annotated[list[item], Field(min_length=min_length, max_length=max_length)]


_ID_RE: Final = re.compile(r"^(?!\.\.?$)(?!__.*__$)[^/]{1,128}$")
_UID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def _check_document_id(value: str) -> str:
    if not _ID_RE.match(value) or len(value.encode()) > 1500:
        raise ValueError(
            "a document id is 1-128 characters, has no '/', is not '.' or '..' "
            "and does not match __.*__"
        )
    return value


def _check_uid(value: str) -> str:
    if not _UID_RE.match(value):
        raise ValueError("a user id is 1-128 letters, digits, '_' or '-'")
    return value


DocumentId = Annotated[
    str,
    AfterValidator(_check_document_id),
    WithJsonSchema(
        {"type": "string", "pattern": _ID_RE.pattern, "minLength": 1, "maxLength": 128},
        mode="validation",
    ),
]
"""The id of a document in one of Mitché's collections."""

Uid = Annotated[
    str,
    AfterValidator(_check_uid),
    WithJsonSchema({"type": "string", "pattern": _UID_RE.pattern}, mode="validation"),
]
"""A Firebase Authentication user id."""


def _to_path(value: object) -> object:
    if isinstance(value, DocumentReference):
        return value.path
    return value


def _check_path(value: str) -> str:
    segments = value.split("/")
    if len(segments) < 2 or len(segments) % 2:
        raise ValueError(f"{value!r} is not a document path (collection/id[/collection/id...])")
    for segment in segments:
        _check_document_id(segment)
    return value


DocumentPath = Annotated[
    str,
    BeforeValidator(_to_path),
    AfterValidator(_check_path),
    Field(max_length=1500),
    WithJsonSchema(
        {"type": "string", "format": "firestore-document-path", "maxLength": 1500},
        mode="validation",
    ),
]
"""A document reference, held as its path ("requests/abc"); services turn it into a
DocumentReference on write and back on read (see mitche.services.codec)."""


def _to_geopoint(value: object) -> object:
    if isinstance(value, dict) and set(value) == {"latitude", "longitude"}:
        return GeoPoint(float(value["latitude"]), float(value["longitude"]))
    return value


def _check_geopoint(value: object) -> GeoPoint:
    if not isinstance(value, GeoPoint):
        raise ValueError("a location is a GeoPoint or {latitude, longitude}")
    if not -90.0 <= value.latitude <= 90.0 or not -180.0 <= value.longitude <= 180.0:
        raise ValueError("latitude must be within [-90, 90] and longitude within [-180, 180]")
    return value


def _geopoint_to_json(value: GeoPoint) -> dict[str, float]:
    return {"latitude": value.latitude, "longitude": value.longitude}


FirestoreGeoPoint = Annotated[
    GeoPoint,
    BeforeValidator(_to_geopoint),
    AfterValidator(_check_geopoint),
    PlainSerializer(_geopoint_to_json, when_used="json"),
    WithJsonSchema(
        {
            "type": "object",
            "format": "firestore-geopoint",
            "properties": {
                "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                "longitude": {"type": "number", "minimum": -180, "maximum": 180},
            },
            "required": ["latitude", "longitude"],
            "additionalProperties": False,
        }
    ),
]
"""A Firestore GeoPoint (latitude and longitude in degrees)."""

Timestamp = Annotated[
    AwareDatetime,
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""A Firestore timestamp; always timezone-aware (stored in UTC)."""
