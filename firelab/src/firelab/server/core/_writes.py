"""Writes of a commit: parsing and validation, then their effect on the stored documents.

`parse_write` validates one `Write` (names, IDs, field limits, masks, transforms, the
`verify` write that the JS SDK sends as field 5, unknown to the published protos);
`check_write_set` applies the checks across the writes of one request; `plan_writes` applies
preconditions, update masks and transforms in order and returns every document's new state,
without storing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from google.protobuf import unknown_fields

from firelab.server.core._errors import Code, FirestoreError, invalid
from firelab.server.core._fieldpaths import (
    FieldPath,
    delete_field,
    get_field,
    parse_field_path,
    set_field,
)
from firelab.server.core._keys import document_key
from firelab.server.core._names import DatabaseId, Path, parse_document_name
from firelab.server.core._protos import Document, FieldTransform, Value, Write
from firelab.server.core._store import Record
from firelab.server.core._timeutil import to_micros
from firelab.server.core._transforms import apply_transforms, check_transform
from firelab.server.core._validate import check_document, check_fields
from firelab.server.core._values import numeric_id, vector_doubles

__all__ = [
    "ParsedWrite",
    "Planned",
    "check_database",
    "check_write_set",
    "parse_write",
    "plan_writes",
]

VERIFY_FIELD = 5

UPDATE = "update"
DELETE = "delete"
TRANSFORM = "transform"
VERIFY = "verify"


@dataclass(slots=True)
class ParsedWrite:
    """One validated write."""

    write: Write
    kind: str
    path: Path
    key: bytes
    fields: Document | None = None
    mask: tuple[FieldPath, ...] | None = None
    transforms: list[FieldTransform] = field(default_factory=list)
    exists: bool | None = None
    update_us: int | None = None


def verify_name(write: Write) -> str | None:
    """The document name of a `verify` write (field 5), or None."""
    for unknown in unknown_fields.UnknownFieldSet(write):  # type: ignore[attr-defined]
        if unknown.field_number == VERIFY_FIELD and unknown.wire_type == 2:
            data = unknown.data
            return data.decode("utf-8") if isinstance(data, bytes) else str(data)
    return None


def parse_write(database: DatabaseId, write: Write) -> ParsedWrite:
    """Validate one write of a commit; FirestoreError with the emulator's message if invalid."""
    operation = write.WhichOneof("operation")
    verify = verify_name(write) if operation is None else None
    has_precondition = write.HasField("current_document")
    if verify is not None:
        if not has_precondition:
            raise invalid("a verify must contain a precondition")
        if write.HasField("update_mask"):
            raise invalid("a verify must not specify a document mask.")
        if len(write.update_transforms):
            raise invalid("a verify must not specify a update transform.")
        name = verify
        kind = VERIFY
    elif operation == "update":
        name = write.update.name
        kind = UPDATE
    elif operation == "delete":
        name = write.delete
        kind = DELETE
    elif operation == "transform":
        name = write.transform.document
        kind = TRANSFORM
    else:
        raise invalid("A write must have an operation.")
    owner, path = parse_document_name(name)
    check_database(database, owner)
    parsed = ParsedWrite(write, kind, path, document_key(path))
    if kind == UPDATE:
        fields = Document()
        fields.fields.MergeFrom(write.update.fields)
        check_document(path, fields.fields)
        for value in fields.fields.values():
            truncate_timestamps(value)
        parsed.fields = fields
        if write.HasField("update_mask"):
            parsed.mask = tuple(parse_field_path(p) for p in write.update_mask.field_paths)
    elif kind in (DELETE, VERIFY, TRANSFORM):
        check_document(path, {})
    transforms = list(write.update_transforms)
    if kind == TRANSFORM:
        transforms = list(write.transform.field_transforms)
    for transform in transforms:
        check_transform(transform)
        for operand in _operands(transform):
            check_fields({"value": operand})
    parsed.transforms = transforms
    if has_precondition:
        condition = write.current_document
        which = condition.WhichOneof("condition_type")
        if which == "exists":
            parsed.exists = condition.exists
        elif which == "update_time":
            parsed.update_us = to_micros(condition.update_time)
    return parsed


def truncate_timestamps(value: Value) -> None:
    """Store timestamps at the microsecond precision the emulator keeps."""
    kind = value.WhichOneof("value_type")
    if kind == "timestamp_value":
        value.timestamp_value.nanos -= value.timestamp_value.nanos % 1000
    elif kind == "map_value":
        doubles = vector_doubles(value) is not None
        for name, inner in value.map_value.fields.items():
            if not (doubles and name == "value"):  # a vector's doubles hold no timestamp
                truncate_timestamps(inner)
    elif kind == "array_value":
        for inner in value.array_value.values:
            truncate_timestamps(inner)


def _operands(transform: FieldTransform) -> list[Value]:
    kind = transform.WhichOneof("transform_type")
    if kind in ("append_missing_elements", "remove_all_from_array"):
        return list(getattr(transform, kind).values)
    return []


def check_database(expected: DatabaseId, found: DatabaseId) -> None:
    """A request may only touch its own database."""
    if found != expected:
        raise invalid(
            f"Request specified a database ({found.root}) that did not match the expected "
            f"database ({expected.root})"
        )


def check_write_set(writes: Sequence[ParsedWrite], *, batch: bool) -> None:
    """Checks across the writes of one request (verify rules; BatchWrite: one write per doc)."""
    written: set[bytes] = set()
    verified: set[bytes] = set()
    for write in writes:
        if batch and (write.key in written or write.key in verified):
            raise invalid("the same document cannot be written more than once in a single request")
        if write.kind == VERIFY:
            if write.key in verified:
                raise invalid(
                    "the same document cannot be verified more than once in a single request"
                )
            if write.key in written:
                raise invalid(
                    "the same document cannot be written and then verified in a single request"
                )
            verified.add(write.key)
        else:
            if write.key in verified:
                raise invalid(
                    "the same document cannot be verified and then written in a single request"
                )
            written.add(write.key)


@dataclass(slots=True)
class State:
    """A document's state while a commit is planned."""

    fields: Document | None
    create_us: int
    update_us: int


@dataclass(slots=True)
class Planned:
    """The effect of a commit: final state per touched document, transform results per write."""

    before: dict[bytes, Record | None]
    after: dict[bytes, State | None]
    paths: dict[bytes, Path]
    results: list[list[Value]]


def plan_writes(
    database: DatabaseId,
    writes: Sequence[ParsedWrite],
    lookup: Callable[[bytes], Record | None],
    request_us: int,
) -> Planned:
    """Apply writes in order to the current states (from `lookup`); raises on a failed
    precondition."""
    before: dict[bytes, Record | None] = {}
    after: dict[bytes, State | None] = {}
    paths: dict[bytes, Path] = {}
    results: list[list[Value]] = []
    deleted: set[bytes] = set()
    for write in writes:
        key = write.key
        if key not in before:
            record = lookup(key)
            before[key] = record
            after[key] = (
                State(record.fields_document(), record.create_us, record.update_us)
                if record is not None
                else None
            )
            paths[key] = write.path
        state = after[key]
        if write.exists is True and state is None and key in deleted:
            raise invalid(deleted_then_updated_message(database, write.path))
        if write.update_us is not None and write.update_us > request_us:
            raise invalid(FUTURE_UPDATE_TIME)
        _check_precondition(database, write, state)
        if write.kind == VERIFY:
            results.append([])
            continue
        if write.kind == DELETE:
            after[key] = None
            deleted.add(key)
            results.append([])
            continue
        fields = Document()
        if write.kind == UPDATE and write.mask is None:
            assert write.fields is not None
            fields.fields.MergeFrom(write.fields.fields)
        else:
            if state is not None and state.fields is not None:
                fields.fields.MergeFrom(state.fields.fields)
            if write.kind == UPDATE and write.mask is not None:
                assert write.fields is not None
                for path in write.mask:
                    value = get_field(write.fields.fields, path)
                    if value is None:
                        delete_field(fields.fields, path)
                    else:
                        set_field(fields.fields, path, value)
        results.append(apply_transforms(fields, write.transforms, request_us))
        create_us = state.create_us if state is not None else 0
        update_us = state.update_us if state is not None else 0
        after[key] = State(fields, create_us, update_us)
    return Planned(before, after, paths, results)


FUTURE_UPDATE_TIME = (
    "The update_time precondition is later than the commit time: no document version can "
    "carry it yet."
)
"""INVALID_ARGUMENT, as production and the official emulator answer (the google-cloud-firestore
client's system test `test_document_delete` expects InvalidArgument for a future time)."""


def deleted_then_updated_message(database: DatabaseId, path: Path) -> str:
    """INVALID_ARGUMENT for an update whose exists-precondition an earlier delete of the same
    commit broke (the client SDKs' transaction conformance tests expect this code)."""
    return (
        f"Document {database.name(path)} is deleted earlier in this commit, so an update "
        "(which requires it to exist) cannot follow; write it with a set instead."
    )


def _check_precondition(database: DatabaseId, write: ParsedWrite, state: State | None) -> None:
    if write.exists is True and state is None:
        raise FirestoreError(Code.NOT_FOUND, no_entity_message(database, write.path))
    if write.exists is False and state is not None:
        raise FirestoreError(Code.ALREADY_EXISTS, exists_message(database, write.path))
    if write.update_us is not None:
        stored = state.update_us if state is not None else 0
        if stored != write.update_us:
            raise FirestoreError(
                Code.FAILED_PRECONDITION,
                f"the stored version ({stored}) does not match the required base version "
                f"({write.update_us})",
            )


def _app(database: DatabaseId) -> str:
    if database.database == "(default)":
        return f"dev~{database.project}"
    return f"dev~{database.project}!{database.database}"


def exists_message(database: DatabaseId, path: Path) -> str:
    """The emulator's ALREADY_EXISTS text for a document."""
    return (
        f"entity already exists: EntityRef[partitionRef={_app(database)}, path=/{'/'.join(path)}]"
    )


def no_entity_message(database: DatabaseId, path: Path) -> str:
    """The emulator's NOT_FOUND text for a missing document (a protobuf text dump)."""
    lines = [f'no entity to update: app: "{_app(database)}"', "path <"]
    for index in range(0, len(path), 2):
        lines.append("  Element {")
        lines.append(f'    type: "{path[index]}"')
        number = numeric_id(path[index + 1])
        if number is not None:
            lines.append(f"    id: {number}")
        else:
            lines.append(f'    name: "{path[index + 1]}"')
        lines.append("  }")
    lines.append(">")
    return "\n".join(lines) + "\n"
