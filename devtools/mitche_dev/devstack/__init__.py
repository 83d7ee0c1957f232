"""The local stack's demo data: a small community in Lyon and the code that seeds it.

Developer tooling only, never deployed: the README's main command seeds these documents into the
local Firestore server and these accounts into the Auth emulator, and tests and docs name the
same actors (`Actor.ALICE` is uid "alice").
"""

from mitche_dev.devstack._actors import Actor, DemoAccount
from mitche_dev.devstack._paths import (
    PathTemplate,
    UnknownDocumentPathError,
    model_for_path,
    path_templates,
)
from mitche_dev.devstack._running import demo_stack, seed_running_stack, settled
from mitche_dev.devstack._world import CITY_TIME_ZONE, DEMO_NOW
from mitche_dev.devstack.demo import (
    DemoDocument,
    demo_accounts,
    demo_documents,
    demo_identities,
)
from mitche_dev.devstack.seed import (
    MAX_BATCH_WRITES,
    AccountSeedReport,
    AuthEmulatorError,
    SeedReport,
    seed,
    seed_accounts,
    seed_writes,
)

__all__ = [
    "CITY_TIME_ZONE",
    "DEMO_NOW",
    "MAX_BATCH_WRITES",
    "AccountSeedReport",
    "Actor",
    "AuthEmulatorError",
    "DemoAccount",
    "DemoDocument",
    "PathTemplate",
    "SeedReport",
    "UnknownDocumentPathError",
    "demo_accounts",
    "demo_documents",
    "demo_identities",
    "demo_stack",
    "model_for_path",
    "path_templates",
    "seed",
    "seed_accounts",
    "seed_running_stack",
    "seed_writes",
    "settled",
]
