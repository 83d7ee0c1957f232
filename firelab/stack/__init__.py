"""The local Firebase stack: the firelab Firestore server, a Python functions codebase and the
Firebase Auth emulator, started and stopped together."""

from firelab.stack._auth_emulator import AuthEmulator, AuthEmulatorError, find_firebase_cli
from firelab.stack._ports import free_port, wait_for_port
from firelab.stack._stack import LocalStack, RulesError, StackConfig

__all__ = [
    "AuthEmulator",
    "AuthEmulatorError",
    "LocalStack",
    "RulesError",
    "StackConfig",
    "find_firebase_cli",
    "free_port",
    "wait_for_port",
]
