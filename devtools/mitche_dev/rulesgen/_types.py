"""JSON Schema of the models, turned into rules-language checks.

`Checks` walks the schema of a value and returns a boolean rules expression that holds exactly
when the value has the schema's type, sizes, bounds, enum values and pattern, collecting on the
way the functions the expression calls: named scalar types (`isUid(v)`), enum value lists
(`helpCategoryValues()`), nested maps (`isAttachment(v)`) and list walkers (`isTagList(l)`).

The rules language has no loops: a list whose items need more than a type test is checked by a
walker unrolled to the longest list of that item any model allows; a list of enum values is one
`hasOnly`, and a list of identifiers whose pattern excludes `,` is one regular expression over
the list joined with commas. Maps keyed by free-form strings (participant ids, emoji) are
checked for their size only: their entries are checked where the rules let a member write them.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ConfigDict, TypeAdapter

from mitche import models
from mitche_dev.rulesgen._literal import conjunction, operators, quote, string_list
from mitche_dev.rulesgen._regex import (
    JOIN_SAFE,
    QUANTIFIER,
    REPLACEMENTS,
    RulesGenError,
    element_regex,
    re2_pattern,
)
from mitche_dev.schemagen import SchemaSet

__all__ = [
    "MAX_INLINE_ENUM",
    "MAX_UNROLLED_ITEMS",
    "Checks",
    "RulesGenError",
    "lower_first",
    "parenthesized",
]

JsonSchema = dict[str, Any]

MAX_INLINE_ENUM: Final = 7
"""Enums of at most this many values are written in place (a weekday, a status)."""
MAX_UNROLLED_ITEMS: Final = 30
"""Longest list whose items a walker checks one by one; a longer list of such items is an
error (the rules' expression budget is 1,000 per request)."""

_ANNOTATIONS: Final = frozenset({"description", "title", "default", "examples", "x-writtenBy"})
_NOT_EXPRESSIBLE: Final = frozenset({"x-enumDescriptions"})
_TIMESTAMP: Final = "date-time"
_GEOPOINT: Final = "firestore-geopoint"
_REFERENCE: Final = "firestore-document-path"
_ALIAS_CONFIG: Final = ConfigDict(regex_engine="python-re", arbitrary_types_allowed=True)


def lower_first(name: str) -> str:
    """`HelpRequest` → `helpRequest`: function names follow the rules' camelCase."""
    return name[:1].lower() + name[1:]


def parenthesized(expression: str, *, within: str = "||") -> str:
    """The expression, in parentheses when it has an operator outside parentheses that would
    read ambiguously as an operand of `within` (`&&` needs them only around an `||`)."""
    top = [expression[pos : pos + 4] for pos, depth in operators(expression) if depth == 0]
    if within == "&&":
        return f"({expression})" if " || " in top else expression
    return f"({expression})" if top or expression.startswith("!") else expression


def _canonical(schema: JsonSchema) -> str:
    return json.dumps(
        {key: value for key, value in schema.items() if key not in _ANNOTATIONS}, sort_keys=True
    )


def _named_scalars() -> dict[str, str]:
    """Schema (canonical JSON) → name, for the constrained scalar aliases `mitche.models`
    exports (`Uid`, `Tag`, `Geohash`...), so checks call `isUid(v)` rather than repeat it."""
    named: dict[str, str] = {}
    for name in models.__all__:
        alias = getattr(models, name)
        if typing.get_origin(alias) is not typing.Annotated or not name[:1].isupper():
            continue
        schema = TypeAdapter(alias, config=_ALIAS_CONFIG).json_schema(mode="validation")
        constrained = set(schema) - _ANNOTATIONS - {"type", "format"}
        if schema.get("type") in ("string", "integer", "number") and constrained:
            named.setdefault(_canonical(schema), name)
    return named


@dataclass(slots=True)
class _Walker:
    """A list walker to render: its item check and the longest list it must cover."""

    name: str
    check: Callable[[str], str]
    length: int
    rendered: int = 0
    """The length the walker was last rendered for (0: not yet)."""


@dataclass(slots=True)
class Checks:
    """Rules checks of schema values, with the helper functions they need."""

    schemas: SchemaSet
    named: dict[str, str] = field(default_factory=_named_scalars)
    invariants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra checks of a nested map, by definition name (hand-translated model validators)."""
    functions: dict[str, str] = field(default_factory=dict)
    """Rendered helper functions by name, in the order they were first needed."""
    _walkers: dict[str, _Walker] = field(default_factory=dict)
    _pending: set[str] = field(default_factory=set)

    # -- entry points ------------------------------------------------------------------------

    def value(self, schema: JsonSchema, expr: str, *, context: str) -> str:
        """An expression true exactly when `expr` is a value of `schema` (null excluded unless
        the schema allows it); `context` names the field for generated helper names."""
        members, nullable = self._members(schema)
        checks = [self._single(member, expr, context=context) for member in members]
        combined = checks[0] if len(checks) == 1 else " || ".join(map(parenthesized, checks))
        if nullable:
            return f"{expr} == null || {parenthesized(combined)}"
        return combined

    def non_null(self, schema: JsonSchema, expr: str, *, context: str) -> tuple[str, bool]:
        """The check of a field's non-null members, and whether the field may be null."""
        members, nullable = self._members(schema)
        checks = [self._single(member, expr, context=context) for member in members]
        combined = checks[0] if len(checks) == 1 else " || ".join(map(parenthesized, checks))
        return combined, nullable

    def render_walkers(self) -> None:
        """Render the list walkers into `functions`, each unrolled to the longest list it is
        used for (rendering one may call for others, so until none is left to render)."""
        while True:
            due = [w for w in self._walkers.values() if w.rendered != w.length]
            if not due:
                return
            for walker in due:
                length = walker.length
                self.functions[walker.name] = self._render_walker(walker)
                walker.rendered = length

    # -- schema kinds ------------------------------------------------------------------------

    def _members(self, schema: JsonSchema) -> tuple[list[JsonSchema], bool]:
        members = schema.get("anyOf")
        if not isinstance(members, list):
            return [schema], False
        rest = [member for member in members if member.get("type") != "null"]
        if not rest:
            raise RulesGenError("a field that can only be null")
        return rest, len(rest) != len(members)

    def _single(self, schema: JsonSchema, expr: str, *, context: str) -> str:
        unknown = set(schema) & _NOT_EXPRESSIBLE
        if "anyOf" in schema:
            return parenthesized(self.value(schema, expr, context=context))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._reference(ref.removeprefix("#/$defs/"), expr)
        name = self.named.get(_canonical(schema))
        if name is not None:
            single = self._single_regex(schema, name)
            if single is not None:
                return f"{expr}.matches({quote(single)})"
            self.named_scalar(name)
            return f"is{name}({expr})"
        if unknown:
            raise RulesGenError(f"{context}: unsupported keywords {sorted(unknown)}")
        kind = schema.get("type")
        if "enum" in schema:
            return f"{expr} in {string_list(schema['enum'])}"
        if kind == "array":
            return self._list(schema, expr, context=context)
        if kind == "object":
            return self._object(schema, expr, context=context)
        return self._scalar(schema, expr, context=context)

    def _scalar(self, schema: JsonSchema, expr: str, *, context: str) -> str:
        kind, fmt = schema.get("type"), schema.get("format")
        known = {"type", "format", "minLength", "maxLength", "pattern"}
        known |= {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
        unknown = set(schema) - known - _ANNOTATIONS
        if unknown:
            raise RulesGenError(f"{context}: unsupported keywords {sorted(unknown)}")
        if fmt == _TIMESTAMP:
            return f"{expr} is timestamp"
        if fmt == _REFERENCE:
            return f"{expr} is path"
        terms: list[str]
        if kind == "string":
            # `matches` is an error on anything but a string, which denies: it checks the type.
            if "pattern" in schema:
                terms = [f"{expr}.matches({quote(re2_pattern(schema['pattern'], context))})"]
            else:
                terms = [f"{expr} is string"]
            if schema.get("minLength"):
                terms.append(f"{expr}.size() >= {schema['minLength']}")
            if "maxLength" in schema:
                terms.append(f"{expr}.size() <= {schema['maxLength']}")
        elif kind in ("integer", "number"):
            terms = [f"{expr} is {'int' if kind == 'integer' else 'number'}"]
            for key, symbol in (
                ("minimum", ">="),
                ("exclusiveMinimum", ">"),
                ("maximum", "<="),
                ("exclusiveMaximum", "<"),
            ):
                if key in schema:
                    terms.append(f"{expr} {symbol} {json.dumps(schema[key])}")
        elif kind == "boolean":
            terms = [f"{expr} is bool"]
        else:
            raise RulesGenError(f"{context}: unsupported type {kind!r}")
        return " && ".join(terms)

    def _object(self, schema: JsonSchema, expr: str, *, context: str) -> str:
        if schema.get("format") == _GEOPOINT:
            return f"{expr} is latlng"
        if "properties" in schema:
            raise RulesGenError(f"{context}: an inline object; give it a model")
        keys = schema.get("propertyNames")
        if isinstance(keys, dict) and ("$ref" in keys or "enum" in keys):
            raise RulesGenError(f"{context}: maps keyed by an enum are not client-writable")
        self._entry_helpers(schema)
        terms = [f"{expr} is map"]
        if schema.get("minProperties"):
            terms.append(f"{expr}.size() >= {schema['minProperties']}")
        if "maxProperties" not in schema:
            raise RulesGenError(f"{context}: a map without maxProperties")
        terms.append(f"{expr}.size() <= {schema['maxProperties']}")
        return " && ".join(terms)

    def _entry_helpers(self, schema: JsonSchema) -> None:
        """Define the checks of a map's keys and values for the hand-written rules that let
        a member write one entry (the generated checks cannot enumerate the entries)."""
        keys = schema.get("propertyNames")
        if isinstance(keys, dict):
            name = self.named.get(_canonical(keys))
            if name is not None:
                self.named_scalar(name)
        values = [*schema.get("patternProperties", {}).values()]
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            values.append(extra)
        for value in values:
            ref = value.get("$ref")
            if isinstance(ref, str):
                self._reference(ref.removeprefix("#/$defs/"), "v")

    def _list(self, schema: JsonSchema, expr: str, *, context: str) -> str:
        if "maxItems" not in schema:
            raise RulesGenError(f"{context}: a list without maxItems")
        length = int(schema["maxItems"])
        terms = [f"{expr} is list"]
        if schema.get("minItems"):
            terms.append(f"{expr}.size() >= {schema['minItems']}")
        terms.append(f"{expr}.size() <= {length}")
        items: JsonSchema = schema.get("items", {})
        terms.append(self._items(items, expr, length, context=context))
        return " && ".join(terms)

    def _items(self, items: JsonSchema, expr: str, length: int, *, context: str) -> str:
        ref = items.get("$ref")
        if isinstance(ref, str) and "enum" in self.schemas.defs[ref.removeprefix("#/$defs/")]:
            return f"{expr}.hasOnly({self._enum(ref.removeprefix('#/$defs/'))})"
        name = self.named.get(_canonical(items))
        if name is not None and self._joinable(items):
            return f"is{name}List({expr})"
        if set(items) - _ANNOTATIONS <= {"type", "minLength", "maxLength"} and (
            items.get("type") == "string" and "maxLength" in items
        ):
            return self._text_list(items, expr)
        if name is not None:
            self.named_scalar(name)
        if isinstance(ref, str):
            walker = f"is{ref.removeprefix('#/$defs/')}List"
        elif name is not None:
            walker = f"is{name}List"
        else:
            walker = f"is{context}List"
        if length > MAX_UNROLLED_ITEMS:
            raise RulesGenError(f"{context}: {length} items to check one by one is too many")
        found = self._walkers.get(walker)
        if found is None:
            self._walkers[walker] = _Walker(
                walker, lambda item: self.value(items, item, context=context), length
            )
        else:
            found.length = max(found.length, length)
        return f"{walker}({expr})"

    def _text_list(self, items: JsonSchema, expr: str) -> str:
        """A list of free text lines, checked as one expression over the list joined with the
        unit separator U+001F (a control character no one types): each line has its length in
        code points, as pydantic counts it, and a line holding U+001F is refused."""
        low, high = int(items.get("minLength", 0)), int(items["maxLength"])
        function = f"isTextList{low}To{high}"
        line = f"[^\\x1f]{{{low},{high}}}"
        self.functions.setdefault(
            function,
            f"// A list of lines of {low} to {high} characters, joined with U+001F.\n"
            f"function {function}(l) {{\n"
            f"  return l.size() == 0\n"
            f"    || (l.join('\\u001f').matches('{line}(\\x1f{line})*')\n"
            f"      && l.join('\\u001f').split('\\u001f').size() == l.size());\n"
            "}",
        )
        return f"{function}({expr})"

    def _joinable(self, items: JsonSchema) -> bool:
        """Whether a list of these strings is checked with one expression over its join: the
        item's pattern and sizes make one regular expression that cannot match a comma."""
        name = self.named[_canonical(items)]
        element = element_regex(items)
        if element is None or not set(QUANTIFIER.sub("", element)) <= JOIN_SAFE:
            return False
        if "[^" in element:
            return False
        joined = f"({element})(,({element}))*"
        self.functions.setdefault(
            f"is{name}List",
            f"// A list of {name} values: one expression over the list joined with commas,\n"
            f"// which {name} values never contain.\n"
            f"function is{name}List(l) {{\n"
            f"  return l.size() == 0\n"
            f"    || (l.join(',').matches({quote(joined)})\n"
            f"      && l.join(',').split(',').size() == l.size());\n"
            "}",
        )
        return True

    # -- named things ------------------------------------------------------------------------

    def _reference(self, name: str, expr: str) -> str:
        definition = self.schemas.defs[name]
        if "enum" in definition:
            return f"{expr} in {self._enum(name)}"
        self._define(name)
        return f"is{name}({expr})"

    def _enum(self, name: str) -> str:
        """The values of an enum: a short one written in place, a longer one as a function
        (a call costs one expression of the request's budget)."""
        values = self.schemas.defs[name]["enum"]
        if len(values) <= MAX_INLINE_ENUM:
            return string_list(values)
        function = f"{lower_first(name)}Values"
        if function not in self.functions:
            self.functions[function] = (
                f"function {function}() {{\n  return {string_list(values, indent=2)};\n}}"
            )
        return f"{function}()"

    def _single_regex(self, schema: JsonSchema, name: str) -> str | None:
        """The one regular expression a patterned named type comes down to, when there is one
        (its sizes implied or folded in): checked in place, without a function call, since
        every call costs one expression of the request's budget."""
        if name in REPLACEMENTS:
            return None
        element = element_regex(schema)
        if element is None:
            return None
        return re2_pattern(element, name)

    def named_scalar(self, name: str) -> None:
        """Render the `isName(v)` function of a named scalar type, once."""
        function = f"is{name}"
        if function in self.functions:
            return
        schema = next(json.loads(key) for key, found in self.named.items() if found == name)
        replacement = REPLACEMENTS.get(name)
        body = replacement("v") if replacement else self._scalar(schema, "v", context=name)
        self.functions[function] = (
            f"// {name}\nfunction {function}(v) {{\n  return {_wrap(body)};\n}}"
        )

    def _define(self, name: str) -> None:
        function = f"is{name}"
        if function in self.functions or name in self._pending:
            return
        self._pending.add(name)
        definition = self.schemas.defs[name]
        body = self.map_body(definition, "v", name=name)
        body += list(self.invariants.get(name, ()))
        summary = _first_line(definition.get("description", ""))
        comment = f"// {name}: {summary}" if len(name) + len(summary) < 90 else f"// {name}"
        self.functions[function] = (
            f"{comment}\nfunction {function}(v) {{\n  return {conjunction(body, indent=2)};\n}}"
        )

    def map_body(self, definition: JsonSchema, expr: str, *, name: str) -> list[str]:
        """Terms checking a map against a model's definition: its keys, then each field."""
        properties: dict[str, JsonSchema] = definition.get("properties", {})
        required = [key for key in properties if key in definition.get("required", ())]
        # Reading a required key that is absent is an error, and so is `keys()` or `size()` on
        # anything but a map: errors deny, so these terms check the type and the keys.
        if len(required) == len(properties):
            terms = [f"{expr}.size() == {len(properties)}"]
        else:
            terms = [f"{expr}.keys().hasOnly({string_list(properties, indent=4, start=20)})"]
        for key, prop in properties.items():
            access = f"{expr}.{key}"
            check, nullable = self.non_null(
                prop, access, context=f"{name}{key[:1].upper()}{key[1:]}"
            )
            if key in required and not nullable:
                terms.append(parenthesized(check))
            elif key in required:
                terms.append(f"({access} == null || {parenthesized(check)})")
            elif nullable:
                terms.append(f"({expr}.get('{key}', null) == null || {parenthesized(check)})")
            else:
                terms.append(f"(!('{key}' in {expr}) || {parenthesized(check)})")
        return terms

    def _render_walker(self, walker: _Walker) -> str:
        checks = [parenthesized(walker.check(f"l[{index}]")) for index in range(walker.length)]
        lines = [f"function {walker.name}(l) {{", "  let n = l.size();"]
        text = "  return "
        for index, check in enumerate(checks):
            last = index == len(checks) - 1
            guard = f"n <= {index} || "
            if index:
                text += "\n    && ("
            text += guard + (check if last else f"({check}")
        lines.append(text)
        lines.append("    " + ")" * (2 * (len(checks) - 1)) + ";")
        lines.append("}")
        return f"// Each item of a list of at most {walker.length}.\n" + "\n".join(lines)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


def _wrap(body: str) -> str:
    parts = body.split(" && ")
    return conjunction(parts, indent=2) if len(body) > 80 else body
