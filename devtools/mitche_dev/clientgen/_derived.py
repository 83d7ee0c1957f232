"""`src/derived.ts`: the runtime functions that compute the path wildcards a flow derives from
the member's input (mitche.flows `Derived`), generated from the Python definitions the rules
mirror, so the app and the backend cannot drift apart."""

from __future__ import annotations

import json
from typing import Final

from mitche.domain.aliases import ALIAS_FOLDS
from mitche.flows import FLOWS

__all__ = ["DERIVED_FUNCTIONS", "render_derived"]

REPORT_KEY_LENGTH: Final = 40
"""Hex characters of sha256(collection/id) in a report's id (firestore.rules `isReportId`)."""


_ALIAS_KEY: Final = """\
/**
 * The claim key of an alias (mitche.domain.aliases.alias_key, firestore.rules aliasKey):
 * lower case, accents folded, letters and digits only. Empty when nothing is left.
 */
export function aliasKey(alias: string): string {
  let folded = alias.toLowerCase();
  for (const [characters, letter] of ALIAS_FOLDS) {
    folded = folded.replace(characters, letter);
  }
  return folded.replace(/[^a-z0-9]/g, '');
}
"""

_REPORT_ID: Final = """\
/**
 * A report's id (firestore.rules isReportId): sha256 of the reported document's top-level
 * `collection/id` in hex, its first KEY_LENGTH characters, `_` and the reporter's uid: one
 * report per member per item.
 */
export async function reportId(
  target: string | { path: string },
  reporterUid: string,
): Promise<string> {
  const path = typeof target === 'string' ? target : target.path;
  const [collection, id] = path.split('/');
  if (!collection || !id) throw new Error(`not a document path: ${path}`);
  const bytes = new TextEncoder().encode(`${collection}/${id}`);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, KEY_LENGTH)}_${reporterUid}`;
}
"""


def _alias_key() -> str:
    folds = "".join(
        f"  [new RegExp({json.dumps(characters, ensure_ascii=False)}, 'g'), "
        f"{json.dumps(letter)}],\n"
        for characters, letter in ALIAS_FOLDS
    )
    table = f"const ALIAS_FOLDS: ReadonlyArray<readonly [RegExp, string]> = [\n{folds}];\n\n"
    return table + _ALIAS_KEY


def _report_id() -> str:
    return _REPORT_ID.replace("KEY_LENGTH", str(REPORT_KEY_LENGTH))


DERIVED_FUNCTIONS: Final = {"aliasKey": _alias_key, "reportId": _report_id}
"""Every runtime function a `Derived` wildcard may name, with its renderer."""


def render_derived() -> str:
    """The body of `src/derived.ts` (after the header); fails on a flow naming an unknown one."""
    named = {
        derived.function
        for flow in FLOWS
        for batch in flow.batches
        for write in batch
        for derived in write.derived
    }
    unknown = named - DERIVED_FUNCTIONS.keys()
    if unknown:
        raise LookupError(f"flows derive wildcards with unknown functions: {sorted(unknown)}")
    return "\n".join(render() for render in DERIVED_FUNCTIONS.values())
