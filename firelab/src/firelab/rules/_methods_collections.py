"""Methods of rules.List, rules.Map, rules.Set and rules.MapDiff.

https://firebase.google.com/docs/reference/rules/rules.List, rules.Map, rules.Set,
rules.MapDiff. Membership uses the rules' equality (``1`` equals ``1.0``, ``true`` does not
equal ``1``) through ``set_key``. Methods taking "a list" accept only a list; the set methods
``hasAll``/``hasAny``/``hasOnly`` accept a set or a list, as documented.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from firelab.rules._methods_string import MethodTable, expect
from firelab.rules._values import RulesError, RulesMapDiff, RulesSet, Value, set_key, values_equal

__all__ = ["METHODS"]

_LIST_TYPES = (list, tuple)
# Types that are their own set key: Python's hashing and == already match the rules' ==.
_SELF_KEYED = frozenset({str, int, float, bytes, type(None)})


def _self_keyed(values: Sequence[Value]) -> bool:
    return set(map(type, values)) <= _SELF_KEYED


def _keys_of(values: Sequence[Value]) -> set[Hashable]:
    if _self_keyed(values):
        return set(values)  # type: ignore[arg-type]
    return {set_key(value) for value in values}


def _other_keys(method: str, other: Any, allow_set: bool) -> set[Hashable] | RulesError:
    cls = other.__class__
    if cls is list or cls is tuple:
        return _keys_of(other)
    if allow_set and cls is RulesSet:
        return set(other.items)
    return expect(method, "a set or a list" if allow_set else "a list", other)


# --- rules.List ---------------------------------------------------------------------------


def _list_concat(items: Any, other: Any) -> Value:
    if other.__class__ not in _LIST_TYPES:
        return expect("concat", "a list", other)
    return [*items, *other]


def _list_has_all(items: Any, other: Any) -> Value:
    wanted = _other_keys("hasAll", other, allow_set=False)
    if wanted.__class__ is RulesError:
        return wanted
    return wanted <= _keys_of(items)  # type: ignore[operator]


def _list_has_any(items: Any, other: Any) -> Value:
    wanted = _other_keys("hasAny", other, allow_set=False)
    if wanted.__class__ is RulesError:
        return wanted
    return not _keys_of(items).isdisjoint(wanted)  # type: ignore[arg-type]


def _list_has_only(items: Any, other: Any) -> Value:
    allowed = _other_keys("hasOnly", other, allow_set=False)
    if allowed.__class__ is RulesError:
        return allowed
    return _keys_of(items) <= allowed  # type: ignore[operator]


def _list_join(items: Any, separator: Any) -> Value:
    if separator.__class__ is not str:
        return expect("join", "a string separator", separator)
    for item in items:
        if item.__class__ is not str:
            return expect("join", "a list of strings; an element", item)
    return separator.join(items)


def _list_remove_all(items: Any, other: Any) -> Value:
    removed = _other_keys("removeAll", other, allow_set=False)
    if removed.__class__ is RulesError:
        return removed
    if _self_keyed(items):
        return [item for item in items if item not in removed]  # type: ignore[operator]
    return [item for item in items if set_key(item) not in removed]  # type: ignore[operator]


def _list_size(items: Any) -> Value:
    return len(items)


def _list_to_set(items: Any) -> Value:
    return RulesSet.of(items)


# --- rules.Map ----------------------------------------------------------------------------


def _map_diff(after: Any, before: Any) -> Value:
    if before.__class__ is not dict:
        return expect("diff", "a map", before)
    return RulesMapDiff(before=before, after=after)


def _map_get(mapping: Any, key: Any, default: Any) -> Value:
    if key.__class__ is str:
        return mapping.get(key, default)  # type: ignore[no-any-return]
    if key.__class__ not in _LIST_TYPES:
        return expect("get", "a string key or a list of keys", key)
    if not key:
        return RulesError("get() needs at least one key in the key list")
    current: Any = mapping
    for part in key:
        if part.__class__ is not str:
            return expect("get", "a list of string keys; an element", part)
        if current.__class__ is not dict or part not in current:
            return default  # type: ignore[no-any-return]
        current = current[part]
    return current  # type: ignore[no-any-return]


def _map_keys(mapping: Any) -> Value:
    return list(mapping)


def _map_values(mapping: Any) -> Value:
    return list(mapping.values())


def _map_size(mapping: Any) -> Value:
    return len(mapping)


# --- rules.Set ----------------------------------------------------------------------------


def _set_difference(items: RulesSet, other: Any) -> Value:
    if other.__class__ is not RulesSet:
        return expect("difference", "a set", other)
    excluded = other.items
    return RulesSet({key: value for key, value in items.items.items() if key not in excluded})


def _set_intersection(items: RulesSet, other: Any) -> Value:
    if other.__class__ is not RulesSet:
        return expect("intersection", "a set", other)
    kept = other.items
    return RulesSet({key: value for key, value in items.items.items() if key in kept})


def _set_union(items: RulesSet, other: Any) -> Value:
    if other.__class__ is not RulesSet:
        return expect("union", "a set", other)
    merged = dict(items.items)
    for key, value in other.items.items():
        merged.setdefault(key, value)
    return RulesSet(merged)


def _set_has_all(items: RulesSet, other: Any) -> Value:
    wanted = _other_keys("hasAll", other, allow_set=True)
    if wanted.__class__ is RulesError:
        return wanted
    return wanted <= items.items.keys()  # type: ignore[operator]


def _set_has_any(items: RulesSet, other: Any) -> Value:
    wanted = _other_keys("hasAny", other, allow_set=True)
    if wanted.__class__ is RulesError:
        return wanted
    return not wanted.isdisjoint(items.items.keys())  # type: ignore[union-attr]


def _set_has_only(items: RulesSet, other: Any) -> Value:
    allowed = _other_keys("hasOnly", other, allow_set=True)
    if allowed.__class__ is RulesError:
        return allowed
    return items.items.keys() <= allowed  # type: ignore[operator]


def _set_size(items: RulesSet) -> Value:
    return len(items)


# --- rules.MapDiff ------------------------------------------------------------------------


def _added_keys(diff: RulesMapDiff) -> Value:
    before = diff.before
    return RulesSet.of_strings(key for key in diff.after if key not in before)


def _removed_keys(diff: RulesMapDiff) -> Value:
    after = diff.after
    return RulesSet.of_strings(key for key in diff.before if key not in after)


def _changed_keys(diff: RulesMapDiff) -> Value:
    before = diff.before
    return RulesSet.of_strings(
        key
        for key, value in diff.after.items()
        if key in before and not values_equal(value, before[key])
    )


def _unchanged_keys(diff: RulesMapDiff) -> Value:
    before = diff.before
    return RulesSet.of_strings(
        key
        for key, value in diff.after.items()
        if key in before and values_equal(value, before[key])
    )


def _affected_keys(diff: RulesMapDiff) -> Value:
    before = diff.before
    after = diff.after
    keys = {
        key: key
        for key, value in after.items()
        if key not in before or not values_equal(value, before[key])
    }
    for key in before:
        if key not in after:
            keys[key] = key
    return RulesSet(keys)  # type: ignore[arg-type]


METHODS: MethodTable = {
    (dict, "diff"): (1, _map_diff),
    (dict, "get"): (2, _map_get),
    (dict, "keys"): (0, _map_keys),
    (dict, "values"): (0, _map_values),
    (dict, "size"): (0, _map_size),
    (RulesSet, "difference"): (1, _set_difference),
    (RulesSet, "hasAll"): (1, _set_has_all),
    (RulesSet, "hasAny"): (1, _set_has_any),
    (RulesSet, "hasOnly"): (1, _set_has_only),
    (RulesSet, "intersection"): (1, _set_intersection),
    (RulesSet, "size"): (0, _set_size),
    (RulesSet, "union"): (1, _set_union),
    (RulesMapDiff, "addedKeys"): (0, _added_keys),
    (RulesMapDiff, "affectedKeys"): (0, _affected_keys),
    (RulesMapDiff, "changedKeys"): (0, _changed_keys),
    (RulesMapDiff, "removedKeys"): (0, _removed_keys),
    (RulesMapDiff, "unchangedKeys"): (0, _unchanged_keys),
}
for _list_type in _LIST_TYPES:
    METHODS[(_list_type, "concat")] = (1, _list_concat)
    METHODS[(_list_type, "hasAll")] = (1, _list_has_all)
    METHODS[(_list_type, "hasAny")] = (1, _list_has_any)
    METHODS[(_list_type, "hasOnly")] = (1, _list_has_only)
    METHODS[(_list_type, "join")] = (1, _list_join)
    METHODS[(_list_type, "removeAll")] = (1, _list_remove_all)
    METHODS[(_list_type, "size")] = (0, _list_size)
    METHODS[(_list_type, "toSet")] = (0, _list_to_set)
