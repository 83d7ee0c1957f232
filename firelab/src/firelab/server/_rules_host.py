"""Security Rules loaded into the server: compiled by `firelab.rules`, installed per project.

`PUT /emulator/v1/projects/{p}:securityRules` and `--rules` both end here. A file that does
not parse is reported as issues with their positions and changes nothing; a file that parses
becomes the project's access policy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from firelab.rules import Rules, RulesSyntaxError
from firelab.server._access import AccessControl, AccessPolicy
from firelab.server._admin_http import RulesIssue
from firelab.server._request_log import RequestLog
from firelab.server._rules_policy import RulesPolicy

__all__ = ["RulesEngineHost"]

PolicyFactory = Callable[[Rules], AccessPolicy]


class RulesEngineHost:
    """Compiles rules files and installs them as access policies."""

    def __init__(self, access: AccessControl, factory: PolicyFactory | None = None) -> None:
        self._access = access
        self._factory: PolicyFactory = factory if factory is not None else RulesPolicy
        self._lock = threading.Lock()
        self._policies: dict[str | None, AccessPolicy] = {}
        self.request_log = RequestLog()
        """Judged requests with their traces; disabled until someone enables it (the console)."""

    def load(self, project: str | None, files: list[tuple[str, str]]) -> list[RulesIssue]:
        """Compile `(name, source)` and install it for `project` (None: every project)."""
        name, source = files[0]
        try:
            rules = Rules.from_source(source, name)
        except RulesSyntaxError as error:
            return [RulesIssue(error.line, error.column, error.message)]
        policy = self._factory(rules)
        if isinstance(policy, RulesPolicy) and policy.request_log is None:
            policy.request_log = self.request_log
        with self._lock:
            self._policies[project] = policy
        self._access.set_policy(policy, project)
        return []

    def _policy(self, project: str) -> AccessPolicy | None:
        with self._lock:
            return self._policies.get(project, self._policies.get(None))

    def coverage_json(self, project: str) -> str:
        """The coverage report of `project`'s rules (JSON)."""
        report = getattr(self._policy(project), "coverage_json", None)
        return report() if callable(report) else '{\n  "rules": {\n  }\n}\n'

    def coverage_html(self, project: str) -> str:
        """The coverage report of `project`'s rules (HTML)."""
        report = getattr(self._policy(project), "coverage_html", None)
        if callable(report):
            return str(report())
        return "<!DOCTYPE html>\n<html><body><p>No rules loaded.</p></body></html>\n"
