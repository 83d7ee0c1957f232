"""`ConsoleServer`: the console's web server, on its own port, in a background thread."""

from __future__ import annotations

import threading

from werkzeug.serving import BaseWSGIServer, make_server

from firelab.console._app import ConsoleSources, make_app
from firelab.server.core import ChangeBatch, Subscription

__all__ = ["ConsoleServer"]


class ConsoleServer:
    """Serves the console for `sources` at `url` from `start()` until `stop()`."""

    def __init__(self, sources: ConsoleSources, *, host: str = "127.0.0.1", port: int = 0):
        self.sources = sources
        self._stop = threading.Event()
        self.app, self._hub = make_app(sources, self._stop)
        self._server: BaseWSGIServer = make_server(host, port, self.app, threaded=True)
        self.host, self.port = host, int(self._server.server_port)
        self._thread: threading.Thread | None = None
        self._subscription: Subscription | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request_link(self, number: int) -> str:
        """The page of one judged request (its rules trace)."""
        return f"{self.url}/#/requests/{number}"

    def publish(self, batch: ChangeBatch) -> None:
        """A commit happened: open pages showing it refresh."""
        self._hub.publish(batch)

    def start(self) -> ConsoleServer:
        if self.sources.emulator is not None:
            self._subscription = self.sources.emulator.subscribe(self.publish)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="firelab-console", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
