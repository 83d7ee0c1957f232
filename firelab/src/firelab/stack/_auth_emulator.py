"""The Firebase Auth emulator from the firebase-tools npm package, as a child process.

It is plain Node.js (no Java), so it runs where the Firestore emulator cannot. We give it a
private firebase.json with free ports for itself, the emulator hub and the logging stream, so
several stacks (or a test run next to a developer's stack) never collide.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

from firelab._errors import FirelabError
from firelab.stack._ports import free_port, wait_for_port

__all__ = ["AuthEmulator", "AuthEmulatorError", "find_firebase_cli"]


class AuthEmulatorError(FirelabError, RuntimeError):
    """The Auth emulator could not be found or did not come up."""


def find_firebase_cli(search_from: Path) -> Path:
    """The `firebase` CLI from the nearest node_modules/.bin above `search_from`, else PATH."""
    for folder in (search_from, *search_from.parents):
        candidate = folder / "node_modules" / ".bin" / "firebase"
        if candidate.is_file():
            return candidate
    found = shutil.which("firebase")
    if found is None:
        raise AuthEmulatorError(
            "the firebase CLI (npm package firebase-tools) is not installed: run scripts/install"
        )
    return Path(found)


class AuthEmulator:
    """A running Auth emulator; `host` is the value FIREBASE_AUTH_EMULATOR_HOST takes."""

    def __init__(
        self,
        project: str,
        *,
        cli: Path,
        host: str = "127.0.0.1",
        port: int | None = None,
        log: IO[bytes] | None = None,
    ) -> None:
        self.project = project
        self.cli = cli
        self.bind_host = host
        self.port = port or free_port(host)
        self._log = log
        self._workdir = tempfile.TemporaryDirectory(prefix="firelab-auth-")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        return f"{self.bind_host}:{self.port}"

    def _write_config(self) -> Path:
        config = {
            "emulators": {
                "auth": {"host": self.bind_host, "port": self.port},
                "hub": {"host": self.bind_host, "port": free_port(self.bind_host)},
                "logging": {"host": self.bind_host, "port": free_port(self.bind_host)},
                "ui": {"enabled": False},
            }
        }
        path = Path(self._workdir.name) / "firebase.json"
        path.write_text(json.dumps(config, indent=2))
        return path

    def start(self, timeout: float = 300.0) -> AuthEmulator:
        """Start firebase-tools' Auth emulator and wait until its port opens (or it exits).
        firebase-tools takes seconds on an idle machine but over a minute on a loaded one, so
        the timeout is only a safety net against a wedged process."""
        config = self._write_config()
        command = [
            *_dying_with_parent(),
            str(self.cli),
            "emulators:start",
            "--only",
            "auth",
            "--project",
            self.project,
            "--config",
            str(config),
        ]
        environment = {**os.environ, "FIREBASE_CLI_DISABLE_UPDATE_CHECK": "true", "CI": "true"}
        self._process = subprocess.Popen(
            command,
            cwd=self._workdir.name,
            stdin=subprocess.DEVNULL,
            stdout=self._log if self._log is not None else subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,
        )
        process = self._process
        if not wait_for_port(
            self.bind_host, self.port, timeout, alive=lambda: process.poll() is None
        ):
            code = self._process.poll()
            self.stop()
            state = "did not open its port" if code is None else f"exited with status {code}"
            raise AuthEmulatorError(f"the Auth emulator {state} within {timeout:.0f}s")
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the emulator and every process it started (it runs in its own session)."""
        process, self._process = self._process, None
        if process is not None:
            _signal_group(process.pid, signal.SIGINT)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout)
        self._workdir.cleanup()

    def __enter__(self) -> AuthEmulator:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _dying_with_parent() -> list[str]:
    """A command prefix asking the kernel (Linux) to send the emulator SIGTERM when the thread
    that started it dies, so a stack killed outright (SIGKILL, a crash) leaves no orphaned
    emulator behind: util-linux's `setpriv --pdeathsig`, which sets it and execs the command.
    Not a `preexec_fn`: Python code run between fork and exec in a process with threads (every
    stack has server threads) can abort the child when another thread held a lock at the
    fork, which the start saw as an emulator exiting with status -6 under load. Start
    emulators from a long-lived thread (the kernel ties the signal to it); without setpriv
    (not Linux) the emulator is only stopped by `stop`."""
    found = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [found, "--pdeathsig", "TERM", "--"] if found else []


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        return
