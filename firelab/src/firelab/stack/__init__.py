"""The local Firebase stack: the firelab Firestore server, a Python functions codebase and the
Firebase Auth emulator, started and stopped together."""

from firelab.stack._auth_emulator import AuthEmulator, AuthEmulatorError, find_firebase_cli
from firelab.stack._cli import argument_parser, config_from, run_until_interrupted
from firelab.stack._ports import free_port, wait_for_port
from firelab.stack._stack import LocalStack, RulesError, StackConfig

__all__ = [
    "AuthEmulator",
    "AuthEmulatorError",
    "LocalStack",
    "RulesError",
    "StackConfig",
    "argument_parser",
    "config_from",
    "find_firebase_cli",
    "free_port",
    "run_until_interrupted",
    "wait_for_port",
]
