"""Documents as Datastore `EntityProto`s, the entity format of Firestore exports.

A document is an entity whose key holds the app (`dev~{project}`), the path (one element per
collection/ID pair, numeric IDs `__id7__` as integers) and the database ID unless it is
`(default)`. Fields are properties: an array is one `multiple` property per element, an empty
array a property of meaning 24, a map (and a vector) an embedded entity of meaning 19, a
timestamp an integer of microseconds with meaning 7, bytes a string with meaning 14, a geo
point meaning 9. Empty arrays come first, as property 14 (indexed); the other fields follow as
property 15 (raw), in name order.
"""

from __future__ import annotations

from dataclasses import dataclass

from firelab.server.core._errors import invalid
from firelab.server.core._names import DEFAULT_DATABASE, DatabaseId, Path
from firelab.server.core._protos import Document, Value
from firelab.server.core._timeutil import set_micros, to_micros
from firelab.server.core._values import VECTOR_TYPE, is_vector, numeric_id
from firelab.server.core._wire import (
    Field,
    decode,
    field_bytes,
    field_double,
    field_varint,
    first,
    group,
)

__all__ = ["Entity", "decode_entity", "encode_entity"]

GD_WHEN = 7
GEORSS_POINT = 9
BLOB = 14
TEXT = 15
BYTESTRING = 16
ENTITY_PROTO = 19
EMPTY_LIST = 24


@dataclass(frozen=True, slots=True)
class Entity:
    """A decoded entity: its database, path and fields."""

    project: str
    database: str
    path: Path
    fields: Document


# Encoding -----------------------------------------------------------------------------------


def _element_id(segment: str) -> bytes:
    number = numeric_id(segment)
    if number is not None:
        return field_varint(3, number)
    return field_bytes(4, segment.encode("utf-8"))


def _path_bytes(path: Path) -> bytes:
    body = b""
    for index in range(0, len(path), 2):
        body += group(1, field_bytes(2, path[index].encode("utf-8")) + _element_id(path[index + 1]))
    return body


def _app(project: str) -> bytes:
    return f"dev~{project}".encode()


def encode_entity(database: DatabaseId, path: Path, document: Document) -> bytes:
    """The EntityProto bytes of the document at `path`."""
    key = field_bytes(13, _app(database.project)) + field_bytes(14, _path_bytes(path))
    if database.database != DEFAULT_DATABASE:
        key += field_bytes(23, database.database.encode("utf-8"))
    body = field_bytes(13, key) + _properties(document.fields)
    return body + field_bytes(16, _path_bytes(path[:2]))


def _properties(fields: object) -> bytes:
    items = sorted(fields.items())  # type: ignore[attr-defined]
    empty = b""
    rest = b""
    for name, value in items:
        if value.WhichOneof("value_type") == "array_value":
            if not value.array_value.values:
                empty += field_bytes(14, _property(name, EMPTY_LIST, False, b""))
                continue
            for element in value.array_value.values:
                meaning, payload = _value(element)
                rest += field_bytes(15, _property(name, meaning, True, payload))
            continue
        meaning, payload = _value(value)
        rest += field_bytes(15, _property(name, meaning, False, payload))
    return empty + rest


def _property(name: str, meaning: int, multiple: bool, payload: bytes) -> bytes:
    out = field_varint(1, meaning) if meaning else b""
    out += field_bytes(3, name.encode("utf-8"))
    out += field_varint(4, int(multiple))
    return out + field_bytes(5, payload)


def _embedded(properties: bytes) -> bytes:
    key = field_bytes(13, b"") + field_bytes(14, b"")
    return field_bytes(13, key) + properties + field_bytes(16, b"")


def _value(value: Value) -> tuple[int, bytes]:
    kind = value.WhichOneof("value_type")
    if kind == "integer_value":
        return 0, field_varint(1, value.integer_value)
    if kind == "boolean_value":
        return 0, field_varint(2, int(value.boolean_value))
    if kind == "string_value":
        return 0, field_bytes(3, value.string_value.encode("utf-8"))
    if kind == "double_value":
        number = value.double_value
        return 0, field_double(4, 0.0 if number == 0 else number)
    if kind == "timestamp_value":
        return GD_WHEN, field_varint(1, to_micros(value.timestamp_value))
    if kind == "bytes_value":
        return BLOB, field_bytes(3, value.bytes_value)
    if kind == "geo_point_value":
        point = value.geo_point_value
        return GEORSS_POINT, group(
            5, field_double(6, point.latitude) + field_double(7, point.longitude)
        )
    if kind == "reference_value":
        return 0, _reference(value.reference_value)
    if kind == "map_value":
        if is_vector(value):
            elements = b""
            for element in value.map_value.fields["value"].array_value.values:
                meaning, payload = _value(element)
                elements += field_bytes(15, _property(VECTOR_TYPE, meaning, True, payload))
            return ENTITY_PROTO, field_bytes(3, _embedded(elements))
        return ENTITY_PROTO, field_bytes(3, _embedded(_properties(value.map_value.fields)))
    if kind == "array_value":
        raise invalid("Nested arrays are not allowed")
    return 0, b""


def _reference(name: str) -> bytes:
    parts = name.split("/")
    project, database, path = parts[1], parts[3], tuple(parts[5:])
    body = field_bytes(13, _app(project))
    for index in range(0, len(path), 2):
        number = numeric_id(path[index + 1])
        element = field_bytes(15, path[index].encode("utf-8"))
        if number is not None:
            element += field_varint(16, number)
        else:
            element += field_bytes(17, path[index + 1].encode("utf-8"))
        body += group(14, element)
    if database != DEFAULT_DATABASE:
        body += field_bytes(23, database.encode("utf-8"))
    return group(12, body)


# Decoding -----------------------------------------------------------------------------------


def _project_of(app: str) -> str:
    return app.split("~", 1)[1] if "~" in app else app


def _segment(
    element: list[Field], type_field: int, id_field: int, name_field: int
) -> tuple[str, str]:
    kind = first(element, type_field)
    number = first(element, id_field)
    name = first(element, name_field)
    collection = kind.data.decode("utf-8") if kind is not None else ""
    if number is not None:
        return collection, f"__id{number.integer}__"
    return collection, name.data.decode("utf-8") if name is not None else ""


def decode_entity(data: bytes, project: str) -> Entity:
    """A document from EntityProto bytes; top-level indexed references move to `project`."""
    fields = decode(data)
    key = first(fields, 13)
    if key is None:
        raise invalid("Invalid record")
    key_fields = decode(key.data)
    path_field = first(key_fields, 14)
    database_field = first(key_fields, 23)
    app_field = first(key_fields, 13)
    path: list[str] = []
    for element in decode(path_field.data) if path_field is not None else []:
        path.extend(_segment(element.fields, 2, 3, 4))
    document = Document()
    _read_properties(fields, document.fields, project, top=True)
    return Entity(
        project=_project_of(app_field.data.decode("utf-8")) if app_field is not None else "",
        database=database_field.data.decode("utf-8") if database_field else DEFAULT_DATABASE,
        path=tuple(path),
        fields=document,
    )


def _read_properties(fields: list[Field], target: object, project: str, top: bool) -> None:
    for item in fields:
        if item.number not in (14, 15):
            continue
        indexed = item.number == 14
        prop = decode(item.data)
        meaning_field = first(prop, 1)
        meaning = meaning_field.integer if meaning_field is not None else 0
        name_field = first(prop, 3)
        name = name_field.data.decode("utf-8") if name_field is not None else ""
        multiple_field = first(prop, 4)
        multiple = bool(multiple_field.integer) if multiple_field is not None else False
        value_field = first(prop, 5)
        payload = decode(value_field.data) if value_field is not None else []
        if indexed and meaning == BLOB:
            raise invalid("A property with meaning BLOB cannot be indexed.")
        slot = target[name]  # type: ignore[index]
        if meaning == EMPTY_LIST:
            slot.array_value.SetInParent()
            continue
        value = _read_value(meaning, payload, project if (top and indexed) else None)
        if multiple:
            slot.array_value.values.append(value)
        else:
            slot.CopyFrom(value)


def _read_value(meaning: int, payload: list[Field], move_to: str | None) -> Value:
    value = Value()
    integer = first(payload, 1)
    boolean = first(payload, 2)
    text = first(payload, 3)
    double = first(payload, 4)
    point = first(payload, 5)
    reference = first(payload, 12)
    if meaning == GD_WHEN and integer is not None:
        set_micros(value.timestamp_value, integer.integer)
    elif meaning == GEORSS_POINT and point is not None:
        latitude = first(point.fields, 6)
        longitude = first(point.fields, 7)
        value.geo_point_value.latitude = latitude.double if latitude else 0.0
        value.geo_point_value.longitude = longitude.double if longitude else 0.0
    elif meaning == ENTITY_PROTO and text is not None:
        inner = decode(text.data)
        names = {_property_name(item) for item in inner if item.number in (14, 15)}
        if names == {VECTOR_TYPE}:
            value.map_value.fields["__type__"].string_value = VECTOR_TYPE
            holder = Document()
            _read_properties(inner, holder.fields, "", top=False)
            vector = holder.fields[VECTOR_TYPE]
            value.map_value.fields["value"].CopyFrom(vector)
        else:
            value.map_value.SetInParent()
            _read_properties(inner, value.map_value.fields, "", top=False)
    elif text is not None:
        if meaning in (BLOB, BYTESTRING):
            value.bytes_value = text.data
        else:
            value.string_value = text.data.decode("utf-8")
    elif integer is not None:
        value.integer_value = integer.integer
    elif boolean is not None:
        value.boolean_value = bool(boolean.value)
    elif double is not None:
        value.double_value = double.double
    elif point is not None:
        latitude = first(point.fields, 6)
        longitude = first(point.fields, 7)
        value.geo_point_value.latitude = latitude.double if latitude else 0.0
        value.geo_point_value.longitude = longitude.double if longitude else 0.0
    elif reference is not None:
        value.reference_value = _reference_name(reference.fields, move_to)
    else:
        value.null_value = 0
    return value


def _property_name(item: Field) -> str:
    name = first(decode(item.data), 3)
    return name.data.decode("utf-8") if name is not None else ""


def _reference_name(fields: list[Field], move_to: str | None) -> str:
    app = first(fields, 13)
    project = _project_of(app.data.decode("utf-8")) if app is not None else ""
    if move_to is not None:
        project = move_to
    database_field = first(fields, 23)
    database = database_field.data.decode("utf-8") if database_field else DEFAULT_DATABASE
    path: list[str] = []
    for element in fields:
        if element.number == 14 and isinstance(element.value, list):
            path.extend(_segment(element.fields, 15, 16, 17))
    return f"projects/{project}/databases/{database}/documents/" + "/".join(path)
