"""`python -m firelab.storage`: run a local Storage server until interrupted.

Prints `firelab storage listening on HOST:PORT` once the port accepts connections (with
`--port 0` the chosen port), which is what scripts wait for.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from firelab.storage._server import StorageServer

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m firelab.storage", description="Run a local Cloud Storage server."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=9199, help="port; 0 picks a free one")
    parser.add_argument("--project", default="demo-firelab", help="the project ID")
    parser.add_argument("--rules", type=Path, help="a storage.rules file to enforce")
    parser.add_argument(
        "--firestore", metavar="HOST:PORT", help="the Firestore emulator firestore.get() reads"
    )
    parser.add_argument("--import-dir", type=Path, help="load this export at start")
    parser.add_argument(
        "--export-on-exit",
        nargs="?",
        const=True,
        default=None,
        metavar="DIR",
        help="export to DIR (default: the --import-dir) when the server stops",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server; the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    export_dir: Path | None = None
    if args.export_on_exit is True:
        if args.import_dir is None:
            parser.error("--export-on-exit needs a directory or --import-dir")
        export_dir = args.import_dir
    elif args.export_on_exit is not None:
        export_dir = Path(args.export_on_exit)
    server = StorageServer(
        host=args.host, port=args.port, project=args.project, firestore_host=args.firestore
    )
    if args.rules is not None:
        issues = server.load_rules(args.rules.read_text("utf-8"), args.rules.name)
        for issue in issues:
            print(f"{args.rules}:{issue.line}:{issue.column}: {issue.description}", file=sys.stderr)
        if issues:
            return 2
    if args.import_dir is not None and args.import_dir.exists():
        server.import_directory(args.import_dir)
    server.start()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        server.request_shutdown()

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    print(f"firelab storage listening on {server.address}", flush=True)
    try:
        while not server.wait(0.5):
            pass
    finally:
        if export_dir is not None:
            server.export_directory(export_dir)
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
