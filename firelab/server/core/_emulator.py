"""`Emulator`: every database of one server process, created on first use.

Databases are keyed by (project, database ID) and never share documents. Transaction IDs,
the clock and the index definitions are emulator-wide, as in the official emulator.
"""

from __future__ import annotations

import threading
from pathlib import Path

from firelab.server.core._changes import ChangeBatch, ChangeFeed, ChangeListener, Subscription
from firelab.server.core._database import Database
from firelab.server.core._engine import Engine, EngineSettings
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
    ) -> None:
        self.settings = EngineSettings(
            indexes=indexes or IndexConfig(),
            lock_timeout=lock_timeout,
            transaction_timeout=transaction_timeout,
        )
        self.clock = self.settings.clock
        self.feed = ChangeFeed()
        self._lock = threading.Lock()
        self._databases: dict[DatabaseId, Database] = {}

    def database(self, project: str, database: str = DEFAULT_DATABASE) -> Database:
        """The database `database` of `project`, created empty on first use."""
        key = DatabaseId(project, database)
        with self._lock:
            found = self._databases.get(key)
            if found is None:
                engine = Engine(key, self.settings, self.feed.publish)
                found = Database(key, engine)
                self._databases[key] = found
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

    def export(self, directory: Path) -> None:
        """Write every database to `directory` (format: see `firelab.server.core._export`)."""
        from firelab.server.core._export import export_databases

        export_databases(self.databases(), directory)

    def import_(self, directory: Path) -> None:
        """Load an export made by `export` (or the official emulator), replacing documents of
        the same names and keeping others."""
        from firelab.server.core._export import import_databases

        import_databases(self, directory)


__all__ = ["ChangeBatch", "Emulator"]
