// Steps of the hostile suite (issue 21) in the members' words: reporting, editing one's own
// profile and preferences, reading one's ledger. Each rate-limited creation goes in one batch with
// the author's stamp on users/{uid}/private/account, as the app writes it.
import { createHash } from 'node:crypto';

import {
  collection,
  doc,
  getDocs,
  serverTimestamp,
  updateDoc,
  writeBatch,
} from 'firebase/firestore';

/** The report id the rules require: one report per member per item. */
export function reportId(targetPath, reporterUid) {
  const key = createHash('sha256').update(targetPath).digest('hex').slice(0, 40);
  return `${key}_${reporterUid}`;
}

/** `reporter` reports the document at `targetPath` (of kind `targetType`). */
export async function reports(reporter, targetType, targetPath, reason, details) {
  const ref = doc(reporter.db, 'reports', reportId(targetPath, reporter.uid));
  const batch = writeBatch(reporter.db);
  batch.set(
    doc(reporter.db, 'users', reporter.uid, 'private', 'account'),
    { lastReport: { at: serverTimestamp(), path: ref.path } },
    { merge: true },
  );
  const report = {
    reporterId: reporter.uid,
    targetType,
    targetPath: doc(reporter.db, targetPath),
    reason,
    createdAt: serverTimestamp(),
  };
  if (details) report.details = details;
  batch.set(ref, report);
  await batch.commit();
  return ref;
}

/** `member` edits fields of their own profile document (dotted paths allowed). */
export function editsProfile(member, fields) {
  return updateDoc(doc(member.db, 'users', member.uid), {
    ...fields,
    updatedAt: serverTimestamp(),
  });
}

/** `member`'s hope ledger, as they read it: the entries' actions and amounts. */
export async function ledgerOf(member) {
  const snapshot = await getDocs(collection(member.db, 'users', member.uid, 'hopeLedger'));
  return snapshot.docs.map((entry) => ({
    action: entry.data().action,
    amount: entry.data().amount,
    capped: entry.data().capped,
  }));
}
