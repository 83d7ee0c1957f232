// Steps of the Hope Tapestry in the members' words: nominating a story (the thread and, for a
// story about another member, the private nomination in the same batch, with the rate-limit
// stamp naming the story), the subject's answer,
// hearts, and the approved feed, as the Mitché app writes and reads them.
// Honest steps go through the client library (`@mitche/client`); `nominatesByHand` is the
// hostile twins' raw batch.
import { collection, deleteDoc, doc, getDoc, serverTimestamp } from 'firebase/firestore';

import {
  answerNomination,
  heartStory,
  nominateStory,
  tapestryApproved,
  tapestryThreads,
  tapestryThreadsHearts,
  tapestryThreadsPrivateNomination,
} from '@mitche/client';

import { stampedBatch } from '../help/steps.mjs';

const STORY = 'When I could not leave home, a neighbour brought my groceries every week.';

/**
 * `member` tells a story (the library's `nominateStory`). With `subject` (a member), the story
 * is about them and names them in the private nomination; `relatedPath` is the request,
 * offering or event the story cites.
 */
export async function nominates(member, { subject = null, relatedPath = null, credit = 'alias',
  title = 'The groceries that came on time' } = {}) {
  const { threadId } = await nominateStory(member.client, {
    subject: subject ? 'member' : 'self',
    title,
    story: STORY,
    category: 'silentHero',
    nominatorCredit: credit,
    appearance: { color: 'ocean', pattern: 'braid' },
    ...(subject ? { subjectId: subject.uid } : {}),
    ...(relatedPath ? { relatedPath } : {}),
  });
  return tapestryThreads.doc(member.db, threadId);
}

/** A story written by hand with `extra` fields the server owns (hostile twins: what the
 * library would never send), with its stamp. */
export async function nominatesByHand(member, extra) {
  const thread = doc(collection(member.db, 'tapestryThreads'));
  const batch = stampedBatch(member, 'lastStory', thread);
  batch.set(thread, {
    nominatorId: member.uid,
    subject: 'self',
    title: 'The groceries that came on time',
    story: STORY,
    category: 'silentHero',
    nominatorCredit: 'alias',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...extra,
  });
  await batch.commit();
  return thread;
}

/** The nomination of a story, as `member` reads it. */
export function nominationOf(member, thread) {
  return tapestryThreadsPrivateNomination.doc(member.db, thread.id);
}

/** The subject answers: `credit`, `anonymous` or `decline`. */
export function answers(subject, thread, consent) {
  return answerNomination(subject.client, { threadId: thread.id, subjectConsent: consent });
}

/** The story as `member` reads it (null when the rules let them see nothing). */
export async function readsStory(member, thread) {
  const snapshot = await getDoc(tapestryThreads.doc(member.db, thread.id)).catch(() => null);
  return snapshot?.exists() ? snapshot.data() : null;
}

/** `member`'s heart on a story. */
export function heartOf(member, thread) {
  return tapestryThreadsHearts.doc(member.db, thread.id, member.uid);
}

/** `member` gives the story a heart. */
export function givesHeart(member, thread) {
  return heartStory(member.client, { threadId: thread.id });
}

/** `member` takes their heart back. */
export function takesHeartBack(member, thread) {
  return deleteDoc(heartOf(member, thread));
}

/** The tapestry as `member` sees it: approved stories in weaving order (`tapestry.approved`). */
export function tapestry(member) {
  return tapestryApproved(member.client, { limit: 100 });
}
