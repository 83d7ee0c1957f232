"""`python -m firelab.stack`: run the local Firebase stack until Ctrl-C.

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
from pathlib import Path
from types import FrameType

from firelab.stack._stack import LocalStack, RulesError, StackConfig

__all__ = ["main", "parser", "run_until_interrupted"]


def parser() -> argparse.ArgumentParser:
    """The command-line options, shared by wrappers that add their own."""
    options = argparse.ArgumentParser(
        prog="python -m firelab.stack", description="Run the local Firebase stack."
    )
    options.add_argument("--project", default="demo-firelab", help="project ID (%(default)s)")
    options.add_argument("--host", default="127.0.0.1", help="address to bind (%(default)s)")
    options.add_argument("--rules", type=Path, help="firestore.rules to enforce")
    options.add_argument("--functions", type=Path, help="functions source directory (main.py)")
    options.add_argument("--firestore-port", type=int, default=8080, help="0 picks a free port")
    options.add_argument("--functions-port", type=int, default=5001, help="0 picks a free port")
    options.add_argument("--auth-port", type=int, default=9099, help="0 picks a free port")
    options.add_argument("--no-auth", action="store_true", help="do not start the Auth emulator")
    options.add_argument(
        "--run-schedules", action="store_true", help="run scheduled functions on their schedules"
    )
    options.add_argument("--import-dir", type=Path, help="load this Firestore export at start")
    options.add_argument("--export-dir", type=Path, help="export Firestore data here on exit")
    return options


def config_from(args: argparse.Namespace) -> StackConfig:
    return StackConfig(
        project=args.project,
        rules=args.rules,
        functions_source=args.functions,
        host=args.host,
        firestore_port=args.firestore_port,
        functions_port=args.functions_port,
        auth=not args.no_auth,
        auth_port=args.auth_port or None,
        run_schedules=args.run_schedules,
        import_dir=args.import_dir,
        export_dir=args.export_dir,
    )


def run_until_interrupted(
    config: StackConfig, on_ready: Callable[[LocalStack], None] | None = None
) -> int:
    """Start the stack, call `on_ready`, print the banner, wait for Ctrl-C or SIGTERM, stop."""
    stop = threading.Event()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        with LocalStack(config) as stack:
            if on_ready is not None:
                on_ready(stack)
            print(stack.describe(), flush=True)
            print("Ctrl-C stops everything.", flush=True)
            stop.wait()
            print("stopping…", flush=True)
    except RulesError as error:
        print(f"the rules do not compile:\n{error}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_until_interrupted(config_from(parser().parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
