// Steps of the hostile suite (issue 21) in the members' words: reporting, editing one's own
// profile and preferences, reading one's ledger. Each rate-limited creation goes in one batch with
// the author's stamp on users/{uid}/private/account, as the app writes it.
import { createHash } from 'node:crypto';

import { doc, getDocs } from 'firebase/firestore';

import { hopeLedgerMine, reportContent } from '@mitche/client';

/** The report id the rules require: one report per member per item. */
export function reportId(targetPath, reporterUid) {
  const key = createHash('sha256').update(targetPath).digest('hex').slice(0, 40);
  return `${key}_${reporterUid}`;
}

/** `reporter` reports the document at `targetPath` (of kind `targetType`): the library's
 * `reportContent`, an honest report with its rate stamp. */
export async function reports(reporter, targetType, targetPath, reason, details) {
  const { reportId: id } = await reportContent(reporter.client, {
    targetType,
    targetPath,
    reason,
    ...(details ? { details } : {}),
  });
  return doc(reporter.db, 'reports', id);
}

/** `member` edits fields of their own profile document (the shared step, with the library's
 * typed update). */
export { editsProfile } from '../harness/mitche.mjs';

/** `member`'s hope ledger, as they read it (`hopeLedger.mine`): the entries' actions and
 * amounts. */
export async function ledgerOf(member) {
  const snapshot = await getDocs(hopeLedgerMine(member.client, { limit: 100 }));
  return snapshot.docs.map((entry) => ({
    action: entry.data().action,
    amount: entry.data().amount,
    capped: entry.data().capped,
  }));
}
