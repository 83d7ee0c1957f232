"""firestore.indexes.json generated from the query catalog (developer tooling: it needs firelab,
which the deployed functions do not ship, so nothing at run time imports it).

Run `python -m mitche_dev.indexgen` after changing a catalog query or a model; `--check`
verifies the committed file, as the test suite does.
"""

from mitche_dev.indexgen._cli import COMMAND, INDEX_FILE, generated_text, main
from mitche_dev.indexgen._exemptions import (
    LARGE_TEXT_CHARACTERS,
    WRITE_TIME_STAMPS,
    ExemptionKind,
    FieldShape,
    candidates,
    collection_group_models,
)
from mitche_dev.indexgen._plan import (
    IndexPlan,
    QueryNeeds,
    index_file,
    plan_indexes,
    query_needs,
)

__all__ = [
    "COMMAND",
    "INDEX_FILE",
    "LARGE_TEXT_CHARACTERS",
    "WRITE_TIME_STAMPS",
    "ExemptionKind",
    "FieldShape",
    "IndexPlan",
    "QueryNeeds",
    "candidates",
    "collection_group_models",
    "generated_text",
    "index_file",
    "main",
    "plan_indexes",
    "query_needs",
]
