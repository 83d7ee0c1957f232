"""The emulator's own endpoints under `/internal`, which firebase-tools and
@firebase/rules-unit-testing call (firebase-tools `emulator/storage/server.js`).

- `PUT /internal/setRules` with `{"rules": {"files": [{"name", "content"}]}}` (several files
  each need a `resource`, `firebase.storage/<bucket>`): 200 `{"message": "Rules updated
  successfully"}`; a body without files is a 400 `{"message": "Request body must include
  'rules.files' array"}`, a file without name or content a 400 naming what each must contain,
  and rules that do not compile a 400 `{"message": "There was an error updating rules, see
  logs for more details"}` (the issues are logged).
- `POST /internal/reset`: forget every bucket, object and upload (rules stay); 200.
- `POST /internal/export` with `{"path": DIR}`: write an export; 400 "Export request body
  must include 'path'." without one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from firelab.storage._access import StorageRules
from firelab.storage._http import Request, Response, json_response, status_response

__all__ = ["AdminEndpoints"]

logger = logging.getLogger("firelab.storage")


class AdminEndpoints:
    """Answers `/internal/...`."""

    def __init__(
        self,
        rules: StorageRules,
        reset: Callable[[], None],
        export: Callable[[Path], object],
    ) -> None:
        self._rules = rules
        self._reset = reset
        self._export = export

    def handle(self, request: Request) -> Response | None:
        """The answer, or None when the path is not one of these endpoints."""
        route = (request.method, request.path)
        if route == ("PUT", "/internal/setRules"):
            return self._set_rules(request)
        if route == ("POST", "/internal/reset"):
            self._reset()
            return status_response(200)
        if route == ("POST", "/internal/export"):
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                body = {}
            path = body.get("path") if isinstance(body, dict) else None
            if not path:
                return Response(
                    400, b"Export request body must include 'path'.", "text/html; charset=utf-8"
                )
            self._export(Path(str(path)))
            return status_response(200)
        return None

    def _set_rules(self, request: Request) -> Response:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
        rules = body.get("rules") if isinstance(body, dict) else None
        files = rules.get("files") if isinstance(rules, dict) else None
        if not isinstance(files, list) or not files:
            return json_response(400, {"message": "Request body must include 'rules.files' array"})
        loaded: list[tuple[str, str, str | None]] = []
        for file in files:
            ok = (
                isinstance(file, dict)
                and isinstance(file.get("name"), str)
                and isinstance(file.get("content"), str)
            )
            if len(files) == 1 and not ok:
                message = "Each member of 'rules.files' array must contain 'name' and 'content'"
                return json_response(400, {"message": message})
            if len(files) > 1 and not (ok and file.get("resource")):
                message = (
                    "Each member of 'rules.files' array must contain 'name', 'content', and "
                    "'resource'"
                )
                return json_response(400, {"message": message})
            resource = file.get("resource") if len(files) > 1 else None
            loaded.append((file["name"], file["content"], resource))
        issues = self._rules.load(loaded)
        if issues:
            for issue in issues:
                logger.warning(
                    "storage rules %s:%d:%d: %s",
                    loaded[0][0],
                    issue.line,
                    issue.column,
                    issue.description,
                )
            return json_response(
                400, {"message": "There was an error updating rules, see logs for more details"}
            )
        return json_response(200, {"message": "Rules updated successfully"})
