// Steps of the help cycle in the members' words: posting, finding, offering, accepting,
// talking, completing and rating, as the Mitché app makes them: through the client library
// (`@mitche/client`: its flows make each step's batch with the rate-limit stamp, its catalog
// query functions build the feeds the rules and indexes allow). `stampedBatch` and
// `createsStamped` remain for the hostile twins, which build by hand what the library would
// never send.
import { doc, getDoc, getDocs, serverTimestamp, writeBatch } from 'firebase/firestore';

import {
  acceptOffering,
  claimStandingOffer,
  confirmAndRate,
  consentToReveal,
  conversations,
  conversationsMine,
  markFulfilled,
  messagesMineInConversation,
  messagesOfConversation,
  offerHelp,
  offerToAnyone,
  offerings,
  postRequest,
  proposeCompletion,
  readConversation,
  requests,
  requestsByCategory,
  requestsOpenByUrgency,
  requestsUpdate,
  sendMessage,
  startConversation,
} from '@mitche/client';

import { settled, until } from '../harness/index.mjs';

/** The batch a hand-built rate-limited creation goes in (hostile twins): the author's stamp
 * (`lastRequest`...), naming the one document `ref` it authorises. */
export function stampedBatch(member, stamp, ref) {
  const batch = writeBatch(member.db);
  batch.set(
    doc(member.db, 'users', member.uid, 'private', 'account'),
    { [stamp]: { at: serverTimestamp(), path: ref.path } },
    { merge: true },
  );
  return batch;
}

/** `member` creates `data` at `ref` by hand, in one batch with the stamp `stamp` naming it
 * (what a hostile twin sends instead of a library flow). */
export async function createsStamped(member, stamp, ref, data) {
  const batch = stampedBatch(member, stamp, ref);
  batch.set(ref, data);
  await batch.commit();
  return ref;
}

/** `member` posts a remote request for help (the library's `postRequest`); resolves to its
 * document reference. `fields` change the member's choices. */
export async function postsRequest(member, fields = {}) {
  const { requestId } = await postRequest(member.client, {
    title: 'Groceries for this week',
    description: 'I cannot leave home this week; could someone bring groceries?',
    category: 'food',
    urgency: 'high',
    remoteOk: true,
    visibility: 'community',
    ...fields,
  });
  return requests.doc(member.db, requestId);
}

/** The request (or any document) as `member` reads it (null when the rules let them see nothing). */
export async function reads(member, ref) {
  const snapshot = await getDoc(doc(member.db, ref.path));
  return snapshot.exists() ? snapshot.data() : null;
}

/** `member` edits their request (the library's typed update, stamped now). */
export function editsRequest(member, request, changes) {
  const batch = writeBatch(member.db);
  requestsUpdate(batch, requests.doc(member.db, request.id), {
    ...changes,
    updatedAt: serverTimestamp(),
  });
  return batch.commit();
}

/** The home feed's section of one urgency, as `member` sees it (`requests.openByUrgency`). */
export function urgencyFeed(member, urgency) {
  return requestsOpenByUrgency(member.client, { urgency, limit: 100 });
}

/** The browse screen: requests of one category and status (`requests.byCategory`). */
export function categoryFeed(member, category, status = 'open') {
  return requestsByCategory(member.client, { category, status, limit: 100 });
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

/** `helper` offers their help on `request` (a document reference of the requester's), with
 * the library's `offerHelp`. */
export async function offersHelp(helper, request, requesterId, fields = {}) {
  const { offeringId } = await offerHelp(helper.client, {
    offeringType: 'help',
    requestPath: request.path,
    requesterId,
    title: 'I can bring groceries tomorrow',
    category: 'food',
    visibility: 'community',
    ...fields,
  });
  return offerings.doc(helper.db, offeringId);
}

/** `helper` offers help to anyone who needs it (a standing offer, no request: `offerToAnyone`). */
export async function offersToAnyone(helper, fields = {}) {
  const { offeringId } = await offerToAnyone(helper.client, {
    offeringType: 'help',
    title: 'Weekly lift to the market',
    description: 'Every Saturday morning I drive to the market and have two free seats.',
    category: 'transport',
    remoteOk: true,
    visibility: 'community',
    ...fields,
  });
  return offerings.doc(helper.db, offeringId);
}

/** The requester accepts an offering. */
export function accepts(requester, offering) {
  return acceptOffering(requester.client, { offeringId: offering.id });
}

/** A member who needs a standing offer claims it (names themselves and accepts, at once). */
export function claims(member, offering) {
  return claimStandingOffer(member.client, { offeringId: offering.id });
}

/** The conversation of an accepted offering, once the function opened it (as `member` reads it). */
export async function conversationOf(member, offering) {
  await settled();
  const linked = await until(
    offerings.doc(member.db, offering.id),
    (snapshot) => Boolean(snapshot.data()?.conversationId),
    { what: `the conversation of ${offering.id} to open` },
  );
  return conversations.doc(member.db, linked.data().conversationId);
}

/** `member` opens a conversation with `others` (a dm by default) with the library's
 * `startConversation` and its stamp; resolves to its document reference. `fields` add the
 * member's choices (a group's title, its context, a sensitive dm). */
export async function startsConversation(member, others, fields = {}) {
  const { conversationId } = await startConversation(member.client, {
    conversationType: 'dm',
    participantIds: [member.uid, ...others.map((other) => other.uid)],
    ...fields,
  });
  return conversations.doc(member.db, conversationId);
}

/** `member` sends a text message in a conversation (`sendMessage`, copying its participants
 * as the app does). */
export async function says(member, conversation, text) {
  const found = await getDoc(conversations.doc(member.db, conversation.id));
  const { messageId } = await sendMessage(member.client, {
    conversationId: conversation.id,
    participantIds: found.data().participantIds,
    messageType: 'text',
    text,
  });
  return doc(member.db, 'messages', messageId);
}

/** `member`'s inbox: their conversations, latest message first (`conversations.mine`). */
export function inbox(member) {
  return conversationsMine(member.client, { limit: 100 });
}

/** `member` opens the conversation and reads everything in it (their read receipt). */
export function readsConversation(member, conversation) {
  return readConversation(member.client, { conversationId: conversation.id });
}

/**
 * The messages of a conversation as `member`'s app shows them, newest first: everyone's that
 * the screen let through (`messages.ofConversation`) and the member's own whatever their
 * screening (`messages.mineInConversation`), as the rules allow no other list.
 */
export async function messagesOf(member, conversation) {
  const params = { conversationId: conversation.id, limit: 100 };
  const lists = await Promise.all([
    getDocs(messagesOfConversation(member.client, params)),
    getDocs(messagesMineInConversation(member.client, params)),
  ]);
  const byId = new Map(lists.flatMap((list) => list.docs.map((found) => [found.id, found])));
  return [...byId.values()]
    .sort((a, b) => b.data().createdAt.toMillis() - a.data().createdAt.toMillis())
    .map((found) => found.data().text);
}

/** The helper says the help is done; the requester will confirm. */
export function proposesCompletion(helper, offering) {
  return proposeCompletion(helper.client, { offeringId: offering.id });
}

/** The requester confirms the help was given and rates the helper, in one write. */
export function confirmsAndRates(requester, offering, rating, comment = 'Thank you so much!') {
  return confirmAndRate(requester.client, { offeringId: offering.id, feedback: { rating, comment } });
}

/** The requester marks the request fulfilled by the helpers they accepted (with `status`
 * 'closed', withdraws it). */
export function marksFulfilled(requester, request, helperIds, { status, ...extra } = {}) {
  return markFulfilled(requester.client, {
    requestId: request.id,
    ...(status ? { status } : {}),
    completion: { fulfilledBy: helperIds, ...extra },
  });
}

/** `member` consents to reveal identities to `counterpart`, citing `context` (a document
 * reference: a conversation the counterpart opened, a message they sent, or the request
 * linking them), with the library's `consentToReveal` and its stamp. */
export function consentsToReveal(member, counterpart, context) {
  return consentToReveal(member.client, { counterpartId: counterpart.uid, context: context.path });
}

/** Wait until `member`'s own document satisfies `predicate` (points, stats, reveal summary). */
export async function profileReaches(member, predicate, what) {
  const snapshot = await until(doc(member.db, 'users', member.uid), (s) => predicate(s.data()), {
    what,
  });
  return snapshot.data();
}
