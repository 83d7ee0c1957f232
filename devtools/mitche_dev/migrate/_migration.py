"""Migrations as modules: `migrations/NNNN_name.py`, loaded in version order.

A migration module declares, at module level:

* a docstring saying what changes and why;
* `SCOPE`: the path template of the documents the run pages through (`users/{userId}`), or a
  tuple of them, paged one after the other (a migration over several collections);
* `READS` and `WRITES`: the path templates it reads and writes (the backup covers `WRITES`);
* `related(path)` or `related(path, data)` (optional): the other documents one transformation
  needs, e.g. the member's `private/account` beside `users/{uid}`; with `data` (the scope
  document as read), they may depend on its content, e.g. the claim named by a member's alias;
* `ORDER` (optional): a field the scope is paged by (then by path), for a transformation whose
  outcome depends on which document comes first (the first member to take an alias keeps it);
  documents without the field are not visited;
* `up(documents)`: given `{path: data or None}` for one scope document and its related ones,
  the new state of each document it changes (`None` deletes it); `{}` when the documents are
  already in the new shape, so applying twice changes nothing. A document related to several
  scope documents of one page is given to each transformation as the earlier ones left it;
* `down(documents)` (optional): the inverse, for rollback.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Final

from mitche_dev.migrate._documents import check_template, matches

__all__ = [
    "Data",
    "Migration",
    "MigrationError",
    "Transform",
    "load_migration",
    "load_migrations",
]

Data = dict[str, Any]
Transform = Callable[[Mapping[str, Data | None]], Mapping[str, Data | None]]

_FILE_NAME: Final = re.compile(r"^(\d{4})_([a-z0-9_]{1,60})\.py$")


class MigrationError(Exception):
    """A migration that cannot be loaded or run as asked (the message says why)."""


Related = Callable[[str, Data | None], tuple[str, ...]]
"""`related(path, data)`: the documents a scope document's transformation needs beside it."""


def _no_related(path: str, data: Data | None) -> tuple[str, ...]:
    return ()


def _related(module: ModuleType, name: str) -> Related:
    """The module's `related`, called with the scope document's data when it takes two
    arguments (`related(path, data)`), with its path alone otherwise (`related(path)`)."""
    value = getattr(module, "related", None)
    if value is None:
        return _no_related
    if not callable(value):
        raise MigrationError(f"{name}: related must be related(path) or related(path, data)")
    try:
        arity = len(inspect.signature(value).parameters)
    except (TypeError, ValueError) as error:
        raise MigrationError(f"{name}: related has no readable signature") from error
    if arity == 2:
        return lambda path, data: tuple(value(path, data))
    if arity == 1:
        return lambda path, data: tuple(value(path))
    raise MigrationError(f"{name}: related must be related(path) or related(path, data)")


def _order(module: ModuleType, name: str) -> str | None:
    value = getattr(module, "ORDER", None)
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(
        r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_]\w*)*", value
    ):
        raise MigrationError(f"{name}: ORDER must be a field path (createdAt, profile.joinedAt)")
    return value


@dataclass(frozen=True, slots=True)
class Migration:
    """One loaded migration module."""

    version: int
    name: str
    description: str
    scopes: tuple[str, ...]
    """The path templates the run pages through, in this order."""
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    checksum: str
    """SHA-256 of the module's source."""
    up: Transform
    down: Transform | None
    related: Related
    source: Path
    order: str | None = None
    """The field the scope is paged by (then by path); None: by path alone."""

    @property
    def id(self) -> str:
        """`0001_private_account`: the file name without `.py`, and the log document's id."""
        return f"{self.version:04d}_{self.name}"

    def documents_of(self, path: str, data: Data | None = None) -> tuple[str, ...]:
        """The scope document and its related documents (given its `data` as read), each
        checked against `READS`."""
        paths = tuple(dict.fromkeys((path, *self.related(path, data))))
        for each in paths:
            if not any(matches(template, each) for template in self.reads):
                raise MigrationError(f"{self.id} reads {each}, which READS does not declare")
        return paths

    def check_writes(self, changes: Mapping[str, Data | None], given: tuple[str, ...]) -> None:
        """Refuse a transformation that writes outside its documents or its `WRITES`."""
        for path in changes:
            if path not in given:
                raise MigrationError(f"{self.id} changed {path}, which it was not given")
            if not any(matches(template, path) for template in self.writes):
                raise MigrationError(f"{self.id} wrote {path}, which WRITES does not declare")


def _templates(module: ModuleType, name: str, attribute: str) -> tuple[str, ...]:
    value = getattr(module, attribute, None)
    if not isinstance(value, tuple) or not value or not all(isinstance(v, str) for v in value):
        raise MigrationError(f"{name}: {attribute} must be a non-empty tuple of path templates")
    try:
        return tuple(check_template(template) for template in value)
    except ValueError as error:
        raise MigrationError(f"{name}: {error}") from error


def _scopes(module: ModuleType, name: str) -> tuple[str, ...]:
    value = getattr(module, "SCOPE", None)
    scopes = (value,) if isinstance(value, str) else value
    if not isinstance(scopes, tuple) or not scopes or not all(isinstance(s, str) for s in scopes):
        raise MigrationError(
            f"{name}: SCOPE must be the path template the run pages through (or a tuple of them)"
        )
    if len(set(scopes)) != len(scopes):
        raise MigrationError(f"{name}: SCOPE names a path template twice")
    try:
        return tuple(check_template(scope) for scope in scopes)
    except ValueError as error:
        raise MigrationError(f"{name}: {error}") from error


def _callable(module: ModuleType, name: str, attribute: str, *, required: bool) -> Any:
    value = getattr(module, attribute, None)
    if value is None and not required:
        return None
    if not callable(value):
        raise MigrationError(f"{name}: define {attribute}(documents)")
    return value


def load_migration(source: Path) -> Migration:
    """Load one migration module and check its declarations."""
    found = _FILE_NAME.match(source.name)
    if found is None:
        raise MigrationError(f"{source.name}: a migration file is named NNNN_snake_name.py")
    text = source.read_bytes()
    spec = importlib.util.spec_from_file_location(f"_mitche_migration_{source.stem}", source)
    if spec is None or spec.loader is None:
        raise MigrationError(f"{source}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    name = source.name
    description = (module.__doc__ or "").strip()
    if not description:
        raise MigrationError(f"{name}: say what the migration changes and why in its docstring")
    scopes = _scopes(module, name)
    reads = _templates(module, name, "READS")
    writes = _templates(module, name, "WRITES")
    for scope in scopes:
        if scope not in reads:
            raise MigrationError(f"{name}: SCOPE {scope} must be one of READS")
    return Migration(
        version=int(found.group(1)),
        name=found.group(2),
        description=description,
        scopes=scopes,
        reads=reads,
        writes=writes,
        checksum=hashlib.sha256(text).hexdigest(),
        up=_callable(module, name, "up", required=True),
        down=_callable(module, name, "down", required=False),
        related=_related(module, name),
        source=source,
        order=_order(module, name),
    )


def load_migrations(directory: Path) -> list[Migration]:
    """Every migration of a folder, in version order (versions must be unique)."""
    if not directory.is_dir():
        raise MigrationError(f"{directory} is not a folder of migrations")
    loaded = [
        load_migration(path)
        for path in sorted(directory.glob("*.py"))
        if not path.name.startswith("_")
    ]
    versions: dict[int, str] = {}
    for migration in loaded:
        if migration.version in versions:
            raise MigrationError(
                f"{migration.id} and {versions[migration.version]} share version "
                f"{migration.version}"
            )
        versions[migration.version] = migration.id
    return sorted(loaded, key=lambda migration: migration.version)
