"""The HTTP/1.1 side of the server: WebChannel, emulator endpoints, then REST, then 404; CORS on
every answer.

Browsers (the web SDK's REST calls, the Emulator UI) send `Origin` and preflight requests; the
official emulator reflects the origin and allows credentials, any method and the requested
headers, so any page may talk to it.
"""

from __future__ import annotations

import socket

from firelab.server._admin_http import AdminEndpoints
from firelab.server._http import HttpRequest, HttpResponse, serve_connection
from firelab.server._rest import RestApi, not_found
from firelab.server._webchannel import WebChannel

__all__ = ["HttpApp"]

_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS"


class HttpApp:
    """Routes one HTTP request to the endpoint that answers it."""

    def __init__(
        self, admin: AdminEndpoints, rest: RestApi, webchannel: WebChannel | None = None
    ) -> None:
        self._admin = admin
        self._rest = rest
        self._webchannel = webchannel

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer `request` (never raises for a well-formed request)."""
        origin = request.header("origin")
        if request.method == "OPTIONS" and origin is not None:
            response = HttpResponse(200)
            requested = request.header("access-control-request-headers")
            if requested:
                response.headers.append(("Access-Control-Allow-Headers", requested))
            response.headers.append(("Access-Control-Allow-Methods", _METHODS))
        else:
            response = self._route(request)
        if origin is not None:
            response.headers.append(("Access-Control-Allow-Origin", origin))
            response.headers.append(("Access-Control-Allow-Credentials", "true"))
            response.headers.append(("Vary", "Origin"))
        return response

    def _route(self, request: HttpRequest) -> HttpResponse:
        answer = None if self._webchannel is None else self._webchannel.handle(request)
        if answer is None:
            answer = self._admin.handle(request)
        if answer is None:
            answer = self._rest.handle(request)
        return answer if answer is not None else not_found()

    def serve(self, sock: socket.socket, initial: bytes) -> None:
        """Serve an HTTP/1.x connection (the front door's handler)."""
        serve_connection(sock, self, initial)
