"""The stack's command line: `python -m firelab.stack` runs the local Firebase stack until
Ctrl-C; wrappers (a project's own main job) reuse its options and run loop.

    python -m firelab.stack --project demo-x --rules firestore.rules --functions functions

Prints where each service listens and the environment variables clients need, then waits.
Ctrl-C (or SIGTERM) stops every process it started.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

from firelab.stack._stack import LocalStack, RulesError, StackConfig

__all__ = ["argument_parser", "config_from", "main", "run_until_interrupted"]


def argument_parser() -> argparse.ArgumentParser:
    """The command-line options, shared by wrappers that add their own."""
    options = argparse.ArgumentParser(
        prog="python -m firelab.stack", description="Run the local Firebase stack."
    )
    options.add_argument("--project", default="demo-firelab", help="project ID (%(default)s)")
    options.add_argument("--host", default="127.0.0.1", help="address to bind (%(default)s)")
    options.add_argument("--rules", type=Path, help="firestore.rules to enforce")
    options.add_argument("--indexes", type=Path, help="firestore.indexes.json to maintain")
    options.add_argument("--storage-rules", type=Path, help="storage.rules to enforce")
    options.add_argument(
        "--enforce-indexes",
        action="store_true",
        help="refuse queries production would refuse for a missing index",
    )
    options.add_argument("--functions", type=Path, help="functions source directory (main.py)")
    options.add_argument("--firestore-port", type=int, default=8080, help="0 picks a free port")
    options.add_argument("--functions-port", type=int, default=5001, help="0 picks a free port")
    options.add_argument("--auth-port", type=int, default=9099, help="0 picks a free port")
    options.add_argument("--storage-port", type=int, default=9199, help="0 picks a free port")
    options.add_argument(
        "--no-storage", action="store_true", help="do not start the Storage server"
    )
    options.add_argument("--no-auth", action="store_true", help="do not start the Auth emulator")
    options.add_argument(
        "--run-schedules", action="store_true", help="run scheduled functions on their schedules"
    )
    options.add_argument("--import-dir", type=Path, help="load this Firestore export at start")
    options.add_argument("--export-dir", type=Path, help="export Firestore data here on exit")
    options.add_argument("--no-console", action="store_true", help="do not serve the web console")
    options.add_argument("--console-port", type=int, default=4000, help="0 picks a free port")
    options.add_argument(
        "--console-history",
        type=int,
        default=500,
        help="judged requests and function runs the console keeps (%(default)s)",
    )
    return options


def config_from(args: argparse.Namespace) -> StackConfig:
    return StackConfig(
        project=args.project,
        rules=args.rules,
        indexes=args.indexes,
        enforce_indexes=args.enforce_indexes,
        functions_source=args.functions,
        host=args.host,
        firestore_port=args.firestore_port,
        functions_port=args.functions_port,
        auth=not args.no_auth,
        auth_port=args.auth_port or None,
        run_schedules=args.run_schedules,
        import_dir=args.import_dir,
        export_dir=args.export_dir,
        storage=not args.no_storage,
        storage_rules=args.storage_rules,
        storage_port=args.storage_port,
        console=not args.no_console,
        console_port=args.console_port,
        console_history=args.console_history,
    )


def run_until_interrupted(
    config: StackConfig,
    before_functions: Callable[[LocalStack], None] | None = None,
    on_ready: Callable[[LocalStack], None] | None = None,
) -> int:
    """Start the stack (calling `before_functions` before triggers are wired), call
    `on_ready`, print the banner, wait for Ctrl-C or SIGTERM, stop everything."""
    stop = threading.Event()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    if config.query_log is None:
        config = replace(config, query_log=lambda line: print(line, flush=True))
    if config.messaging_log is None:
        config = replace(config, messaging_log=lambda line: print(line, flush=True))
    try:
        stack = LocalStack(config).start(before_functions)
        try:
            if stack.requests is not None and stack.console is not None:
                link = stack.console.request_link
                stack.requests.listen(
                    lambda entry: (
                        None
                        if entry.allowed
                        else print(
                            f"denied {entry.method} {entry.path}: {link(entry.id)}", flush=True
                        )
                    )
                )
            if on_ready is not None:
                on_ready(stack)
            print(stack.describe(), flush=True)
            print("Ctrl-C stops everything.", flush=True)
            stop.wait()
            print("stopping…", flush=True)
        finally:
            stack.stop()
    except RulesError as error:
        print(f"the rules do not compile:\n{error}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_until_interrupted(config_from(argument_parser().parse_args(argv)))
