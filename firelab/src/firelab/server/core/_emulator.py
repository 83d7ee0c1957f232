"""`Emulator`: every database of one server process, created on first use.

Databases are keyed by (project, database ID) and never share documents. Transaction IDs,
the clock and the index definitions are emulator-wide, as in the official emulator.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from firelab.server.core._changes import ChangeFeed, ChangeListener, Subscription
from firelab.server.core._database import Database
from firelab.server.core._engine import Engine, EngineSettings
from firelab.server.core._entities import Entity
from firelab.server.core._errors import invalid
from firelab.server.core._explain import QueryObserver
from firelab.server.core._export import (
    DEFAULT_NAME,
    ExportedDatabase,
    find_overall,
    read_export,
    read_manifest,
    write_export,
    write_firebase_metadata,
    write_manifest,
)
from firelab.server.core._indexes import IndexConfig
from firelab.server.core._names import DEFAULT_DATABASE, DatabaseId, database_of


class Emulator:
    """The core of a local Firestore server."""

    def __init__(
        self,
        *,
        indexes: IndexConfig | None = None,
        lock_timeout: float = 2.0,
        transaction_timeout: float = 60.0,
        query_observer: QueryObserver | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = EngineSettings(
            indexes=indexes or IndexConfig(),
            lock_timeout=lock_timeout,
            transaction_timeout=transaction_timeout,
            query_observer=query_observer,
            monotonic=monotonic,
        )
        self.clock = self.settings.clock
        self.feed = ChangeFeed()
        self._lock = threading.RLock()
        self._databases: dict[DatabaseId, Database] = {}
        self._seed_path: Path | None = None
        self._seed_cache: dict[str, list[Entity]] = {}

    def database(self, project: str, database: str = DEFAULT_DATABASE) -> Database:
        """The database `database` of `project`, created empty on first use."""
        key = DatabaseId(project, database)
        with self._lock:
            found = self._databases.get(key)
            if found is None:
                engine = Engine(key, self.settings, self.feed.publish)
                found = Database(key, engine)
                self._databases[key] = found
                seed = self._seed_entities(key)
                if seed:
                    engine.import_entities(seed)
            return found

    def database_for(self, name: str) -> Database:
        """The database a resource name (`projects/p/databases/d/...`) belongs to."""
        key = database_of(name, "Database name")
        return self.database(key.project, key.database)

    def databases(self) -> list[Database]:
        """Every database used so far, sorted by (project, database)."""
        with self._lock:
            return [self._databases[key] for key in sorted(self._databases)]

    def subscribe(self, listener: ChangeListener) -> Subscription:
        """Call `listener` with the commits of every database (see `ChangeBatch.database`)."""
        return self.feed.subscribe(listener)

    def reset(self) -> None:
        """Forget every document, open transaction and lock (the emulator's POST /reset)."""
        with self._lock:
            databases = list(self._databases.values())
            self._databases.clear()
        for database in databases:
            database._engine.close()

    def export(
        self,
        directory: Path,
        *,
        database: DatabaseId | None = None,
        name: str | None = None,
        project: str | None = None,
    ) -> Path:
        """Export in the official emulator's format (see `_export`).

        With `database`: that database as export `name` (default
        `firestore_export_{seconds}`) inside `directory`; returns its overall metadata file.
        Without: every database that holds documents, with a manifest, the (default) database
        of `project` (or of the first project) readable by firebase-tools; returns `directory`.
        """
        if database is not None:
            chosen = name or f"firestore_export_{int(time.time())}"
            return write_export(self._exported(database), directory, chosen)
        directory.mkdir(parents=True, exist_ok=True)
        exports: list[tuple[DatabaseId, Path]] = []
        primary: DatabaseId | None = None
        for found in self.databases():
            if not len(found._engine.store):
                continue
            default = found.id.database == DEFAULT_DATABASE
            if default and primary is None and project in (None, found.id.project):
                primary = found.id
        for found in self.databases():
            exported = self._exported(found.id)
            if not exported.records:
                continue
            if found.id == primary:
                overall = write_export(exported, directory, DEFAULT_NAME)
                write_firebase_metadata(directory)
            else:
                parent = directory / "databases" / found.id.project / found.id.database
                overall = write_export(exported, parent, DEFAULT_NAME)
            exports.append((found.id, overall))
        write_manifest(directory, exports)
        return directory

    def _exported(self, database: DatabaseId) -> ExportedDatabase:
        engine = self.database(database.project, database.database)._engine
        return ExportedDatabase(database, engine.snapshot())

    def import_(self, path: Path, *, database: DatabaseId | None = None) -> None:
        """Import an export (the official emulator's, firebase-tools', or ours).

        With `database`: the export whose overall metadata file is `path` goes into that
        database now, as the emulator's `:import` does (documents of other database IDs are
        skipped; an import that fails writes nothing). Without: a whole-emulator export
        restores every database it lists; any other export seeds every project, each database
        receiving the documents of its database ID on first use (`--seed_from_export`).
        """
        if database is not None:
            entities = read_export(path, database.project)
            self.database(database.project, database.database)._engine.import_entities(entities)
            return
        manifest = read_manifest(path) if path.is_dir() else None
        if manifest is not None:
            for target, overall in manifest:
                entities = read_export(overall, target.project)
                engine = self.database(target.project, target.database)._engine
                engine.import_entities(entities)
            return
        seed = find_overall(path)
        if seed is None:
            raise invalid("Failed to parse overall export metadata file")
        self._seed_path = seed
        self._seed_cache = {}
        for found in self.databases():
            found._engine.import_entities(self._seed_entities(found.id))

    def _seed_entities(self, database: DatabaseId) -> list[Entity]:
        if self._seed_path is None:
            return []
        cached = self._seed_cache.get(database.project)
        if cached is None:
            cached = read_export(self._seed_path, database.project)
            self._seed_cache[database.project] = cached
        return [entity for entity in cached if entity.database == database.database]


__all__ = ["Emulator"]
