// Steps of the Hope Tapestry in the members' words: nominating a story (the thread and, for a
// story about another member, the private nomination in the same batch, with the rate-limit
// stamp naming the story), the subject's answer,
// hearts, and the approved feed, as the Mitché app writes and reads them.
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  limit,
  orderBy,
  query,
  serverTimestamp,
  updateDoc,
  where,
} from 'firebase/firestore';

import { createsStamped, stampedBatch } from '../help/steps.mjs';

const SHOWN = ['pending', 'approved', 'flagged'];

/**
 * `member` tells a story. With `subject` (a member), the story is about them and names them in
 * the private nomination; `relatedPath` is the request, offering or event the story cites.
 */
export async function nominates(member, { subject = null, relatedPath = null, credit = 'alias',
  title = 'The groceries that came on time', extra = {} } = {}) {
  const thread = doc(collection(member.db, 'tapestryThreads'));
  const batch = stampedBatch(member, 'lastStory', thread);
  batch.set(thread, {
    nominatorId: member.uid,
    subject: subject ? 'member' : 'self',
    title,
    story: 'When I could not leave home, a neighbour brought my groceries every week.',
    category: 'silentHero',
    nominatorCredit: credit,
    appearance: { color: 'ocean', pattern: 'braid' },
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...extra,
  });
  if (subject || relatedPath) {
    batch.set(doc(member.db, thread.path, 'private', 'nomination'), {
      nominatorId: member.uid,
      ...(subject ? { subjectId: subject.uid } : {}),
      ...(relatedPath ? { relatedPath: doc(member.db, relatedPath) } : {}),
      createdAt: serverTimestamp(),
    });
  }
  await batch.commit();
  return thread;
}

/** The nomination of a story, as `member` reads it. */
export function nominationOf(member, thread) {
  return doc(member.db, thread.path, 'private', 'nomination');
}

/** The subject answers: `credit`, `anonymous` or `decline`. */
export function answers(subject, thread, consent) {
  return updateDoc(nominationOf(subject, thread), {
    subjectConsent: consent,
    consentAt: serverTimestamp(),
  });
}

/** The story as `member` reads it (null when the rules let them see nothing). */
export async function readsStory(member, thread) {
  const snapshot = await getDoc(doc(member.db, thread.path)).catch(() => null);
  return snapshot?.exists() ? snapshot.data() : null;
}

/** `member`'s heart on a story. */
export function heartOf(member, thread) {
  return doc(member.db, thread.path, 'hearts', member.uid);
}

/** `member` gives the story a heart. */
export function givesHeart(member, thread) {
  return createsStamped(member, 'lastHeart', heartOf(member, thread), {
    userId: member.uid,
    createdAt: serverTimestamp(),
  });
}

/** `member` takes their heart back. */
export function takesHeartBack(member, thread) {
  return deleteDoc(heartOf(member, thread));
}

/** The tapestry as `member` sees it: approved stories in weaving order. */
export function tapestry(member) {
  return query(
    collection(member.db, 'tapestryThreads'),
    where('status', '==', 'approved'),
    where('moderation.status', 'in', SHOWN),
    orderBy('placement.threadIndex'),
    limit(100),
  );
}
