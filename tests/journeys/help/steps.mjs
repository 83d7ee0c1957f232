// Steps of the help cycle in the members' words: posting, finding, offering, accepting,
// talking, completing and rating, as the Mitché app writes them (the client contract of
// schema/, through firestore.rules). Each write that the rules rate-limit goes in one batch
// with the author's stamp on `users/{uid}/private/account`.
import {
  collection,
  doc,
  getDoc,
  getDocs,
  limit,
  orderBy,
  query,
  serverTimestamp,
  updateDoc,
  where,
  writeBatch,
} from 'firebase/firestore';

import { settled, until } from '../harness/index.mjs';

const SHOWN = ['pending', 'approved', 'flagged'];
const AUDIENCE = ['public', 'community'];

/** The batch a rate-limited creation goes in: the author's stamp (`lastRequest`...), naming
 * the one document `ref` it authorises. */
export function stampedBatch(member, stamp, ref) {
  const batch = writeBatch(member.db);
  batch.set(
    doc(member.db, 'users', member.uid, 'private', 'account'),
    { [stamp]: { at: serverTimestamp(), path: ref.path } },
    { merge: true },
  );
  return batch;
}

/** `member` creates `data` at `ref` in one batch with the stamp `stamp` naming it. */
export async function createsStamped(member, stamp, ref, data) {
  const batch = stampedBatch(member, stamp, ref);
  batch.set(ref, data);
  await batch.commit();
  return ref;
}

/** `member` posts a remote request for help; resolves to its document reference. */
export async function postsRequest(member, fields = {}) {
  const ref = doc(collection(member.db, 'requests'));
  const batch = stampedBatch(member, 'lastRequest', ref);
  batch.set(ref, {
    requesterId: member.uid,
    title: 'Groceries for this week',
    description: 'I cannot leave home this week; could someone bring groceries?',
    category: 'food',
    urgency: 'high',
    status: 'open',
    remoteOk: true,
    visibility: 'community',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...fields,
  });
  await batch.commit();
  return ref;
}

/** The request as `member` reads it (null when the rules let them see nothing). */
export async function reads(member, ref) {
  const snapshot = await getDoc(doc(member.db, ref.path));
  return snapshot.exists() ? snapshot.data() : null;
}

/** The home feed's section of one urgency, as `member` sees it. */
export function urgencyFeed(member, urgency) {
  return query(
    collection(member.db, 'requests'),
    where('status', '==', 'open'),
    where('visibility', 'in', AUDIENCE),
    where('moderation.status', 'in', SHOWN),
    where('urgency', '==', urgency),
    orderBy('createdAt', 'desc'),
    limit(100),
  );
}

/** The browse screen: requests of one category and status, as `member` sees them. */
export function categoryFeed(member, category, status = 'open') {
  return query(
    collection(member.db, 'requests'),
    where('category', '==', category),
    where('status', '==', status),
    where('visibility', 'in', AUDIENCE),
    where('moderation.status', 'in', SHOWN),
    orderBy('createdAt', 'desc'),
    limit(100),
  );
}

/** Whether a feed snapshot lists the document `ref`. */
export function lists(ref) {
  return (snapshot) => snapshot.docs.some((found) => found.id === ref.id);
}

/** Wait until `member`'s feed lists (or, with `absent`, no longer lists) `ref`. */
export function feedShows(member, feed, ref, { absent = false, what } = {}) {
  const predicate = absent ? (snapshot) => !lists(ref)(snapshot) : lists(ref);
  return until(feed, predicate, { what: what ?? `${member.name}'s feed to show ${ref.id}` });
}

/** `helper` offers their help on `request` (a document reference of the requester's). */
export async function offersHelp(helper, request, requesterId, fields = {}) {
  const ref = doc(collection(helper.db, 'offerings'));
  const batch = stampedBatch(helper, 'lastOffering', ref);
  batch.set(ref, {
    helperId: helper.uid,
    offeringType: 'help',
    requestPath: doc(helper.db, request.path),
    requesterId,
    title: 'I can bring groceries tomorrow',
    category: 'food',
    status: 'offered',
    visibility: 'community',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...fields,
  });
  await batch.commit();
  return ref;
}

/** `helper` offers help to anyone who needs it (a standing offer, no request). */
export async function offersToAnyone(helper, fields = {}) {
  const ref = doc(collection(helper.db, 'offerings'));
  const batch = stampedBatch(helper, 'lastOffering', ref);
  batch.set(ref, {
    helperId: helper.uid,
    offeringType: 'help',
    requestPath: null,
    title: 'Weekly lift to the market',
    description: 'Every Saturday morning I drive to the market and have two free seats.',
    category: 'transport',
    remoteOk: true,
    status: 'offered',
    visibility: 'community',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...fields,
  });
  await batch.commit();
  return ref;
}

/** The requester accepts an offering. */
export function accepts(requester, offering) {
  return updateDoc(doc(requester.db, offering.path), {
    status: 'accepted',
    respondedAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

/** A member who needs a standing offer claims it (names themselves and accepts, at once). */
export function claims(member, offering) {
  return updateDoc(doc(member.db, offering.path), {
    requesterId: member.uid,
    status: 'accepted',
    respondedAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

/** The conversation of an accepted offering, once the function opened it (as `member` reads it). */
export async function conversationOf(member, offering) {
  await settled();
  const linked = await until(
    doc(member.db, offering.path),
    (snapshot) => Boolean(snapshot.data()?.conversationId),
    { what: `the conversation of ${offering.id} to open` },
  );
  return doc(member.db, 'conversations', linked.data().conversationId);
}

/** `member` sends a text message in a conversation (copying its participants, as the app does). */
export async function says(member, conversation, text) {
  const found = await getDoc(doc(member.db, conversation.path));
  const ref = doc(collection(member.db, 'messages'));
  const batch = stampedBatch(member, 'lastMessage', ref);
  batch.set(ref, {
    conversationId: conversation.id,
    participantIds: found.data().participantIds,
    senderId: member.uid,
    messageType: 'text',
    text,
    createdAt: serverTimestamp(),
  });
  await batch.commit();
  return ref;
}

/** `member`'s inbox: their conversations, latest message first. */
export function inbox(member) {
  return query(
    collection(member.db, 'conversations'),
    where('participantIds', 'array-contains', member.uid),
    orderBy('lastMessage.sentAt', 'desc'),
    limit(100),
  );
}

/** `member` opens the conversation and reads everything in it (their read receipt). */
export function readsConversation(member, conversation) {
  return updateDoc(doc(member.db, conversation.path), {
    [`participantState.${member.uid}`]: {
      joinedAt: serverTimestamp(),
      lastReadAt: serverTimestamp(),
    },
    updatedAt: serverTimestamp(),
  });
}

/**
 * The messages of a conversation as `member`'s app shows them, newest first: everyone's that
 * the screen let through (`messages.ofConversation`) and the member's own whatever their
 * screening (`messages.mineInConversation`), as the rules allow no other list.
 */
export async function messagesOf(member, conversation) {
  const mine = where('participantIds', 'array-contains', member.uid);
  const lists = await Promise.all([
    getDocs(
      query(
        collection(member.db, 'messages'),
        where('conversationId', '==', conversation.id),
        mine,
        where('moderation.status', 'in', ['approved', 'flagged']),
        orderBy('createdAt', 'desc'),
        limit(100),
      ),
    ),
    getDocs(
      query(
        collection(member.db, 'messages'),
        where('conversationId', '==', conversation.id),
        mine,
        where('senderId', '==', member.uid),
        orderBy('createdAt', 'desc'),
        limit(100),
      ),
    ),
  ]);
  const byId = new Map(lists.flatMap((list) => list.docs.map((found) => [found.id, found])));
  return [...byId.values()]
    .sort((a, b) => b.data().createdAt.toMillis() - a.data().createdAt.toMillis())
    .map((found) => found.data().text);
}

/** The helper says the help is done; the requester will confirm. */
export function proposesCompletion(helper, offering) {
  return updateDoc(doc(helper.db, offering.path), {
    completionProposedAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

/** The requester confirms the help was given and rates the helper, in one write. */
export function confirmsAndRates(requester, offering, rating, comment = 'Thank you so much!') {
  return updateDoc(doc(requester.db, offering.path), {
    status: 'completed',
    completedAt: serverTimestamp(),
    requesterFeedback: { rating, comment, authorId: requester.uid, createdAt: serverTimestamp() },
    updatedAt: serverTimestamp(),
  });
}

/** The requester marks the request fulfilled by the helpers they accepted. */
export function marksFulfilled(requester, request, helperIds, extra = {}) {
  return updateDoc(doc(requester.db, request.path), {
    status: 'fulfilled',
    completion: { completedAt: serverTimestamp(), fulfilledBy: helperIds, ...extra },
    updatedAt: serverTimestamp(),
  });
}

/** Wait until `member`'s own document satisfies `predicate` (points, stats, reveal summary). */
export async function profileReaches(member, predicate, what) {
  const snapshot = await until(doc(member.db, 'users', member.uid), (s) => predicate(s.data()), {
    what,
  });
  return snapshot.data();
}
