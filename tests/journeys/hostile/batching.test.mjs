// Hostile journey: a rate-limit stamp authorises one document (issue 21, hole 4). Before, one
// stamp on the private account let a batch create any number of documents of its kind: 5
// requests, 20 offerings, 100 messages to a stranger, 17 reports in one write. Now the stamp
// names the document it authorises, so each of those batches is refused whole, and the honest
// single creation beside it passes.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { collection, doc, getDoc, getDocs, serverTimestamp, writeBatch } from 'firebase/firestore';

import { requestsMine } from '@mitche/client';

import { closeAll, refused } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { offersToAnyone, postsRequest, says, startsConversation } from '../help/steps.mjs';
import { reportId, reports } from './steps.mjs';

after(closeAll);

/** One batch: `count` documents made by `build(ref)` in `collectionPath`, behind one stamp
 * `stamp` naming the first of them. */
function oneStampBatch(member, stamp, collectionPath, count, build) {
  const refs = Array.from({ length: count }, () => doc(collection(member.db, collectionPath)));
  return manyBehindOneStamp(member, stamp, refs, build);
}

function manyBehindOneStamp(member, stamp, refs, build) {
  const batch = writeBatch(member.db);
  batch.set(
    doc(member.db, 'users', member.uid, 'private', 'account'),
    { [stamp]: { at: serverTimestamp(), path: refs[0].path } },
    { merge: true },
  );
  for (const ref of refs) batch.set(ref, build(ref));
  return { refs, commit: () => batch.commit() };
}

function request(member) {
  return {
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
  };
}

function standingOffer(member) {
  return {
    helperId: member.uid,
    offeringType: 'help',
    requestPath: null,
    title: 'Weekly lift to the market',
    category: 'transport',
    status: 'offered',
    visibility: 'community',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  };
}

test('five requests behind one stamp are refused; one request passes', async () => {
  const mallory = await joins('mallory');
  const flood = oneStampBatch(mallory, 'lastRequest', 'requests', 5, () => request(mallory));
  await refused(flood.commit());
  const honest = await postsRequest(mallory);
  const mine = await getDocs(requestsMine(mallory.client));
  assert.deepEqual(mine.docs.map((found) => found.id), [honest.id], 'only the honest one exists');
});

test('twenty standing offers behind one stamp are refused; one offer passes', async () => {
  const mallory = await joins('mallory');
  const flood = oneStampBatch(mallory, 'lastOffering', 'offerings', 20, () =>
    standingOffer(mallory),
  );
  await refused(flood.commit());
  const honest = await offersToAnyone(mallory);
  assert.equal((await getDoc(honest)).data().helperId, mallory.uid);
});

test('a hundred messages to a stranger behind one stamp are refused; one message passes', async () => {
  const mallory = await joins('mallory');
  const stranger = await joins('stranger');
  const dm = await startsConversation(mallory, [stranger]);
  const flood = oneStampBatch(mallory, 'lastMessage', 'messages', 100, () => ({
    conversationId: dm.id,
    participantIds: [mallory.uid, stranger.uid],
    senderId: mallory.uid,
    messageType: 'text',
    text: 'Buy my course!',
    createdAt: serverTimestamp(),
  }));
  await refused(flood.commit());
  const honest = await says(mallory, dm, 'Hello, I saw your post about the garden.');
  assert.equal((await getDoc(doc(mallory.db, honest.path))).data().senderId, mallory.uid);
});

test('seventeen reports behind one stamp are refused; one report passes', async () => {
  const mallory = await joins('mallory');
  const targets = await Promise.all(
    Array.from({ length: 17 }, (_, index) => joins(`target${index}`)),
  );
  const refs = targets.map((target) =>
    doc(mallory.db, 'reports', reportId(`users/${target.uid}`, mallory.uid)),
  );
  const flood = manyBehindOneStamp(mallory, 'lastReport', refs, (ref) => ({
    reporterId: mallory.uid,
    targetType: 'user',
    targetPath: doc(mallory.db, 'users', targets[refs.indexOf(ref)].uid),
    reason: 'harassment',
    createdAt: serverTimestamp(),
  }));
  await refused(flood.commit());
  const honest = await reports(mallory, 'user', `users/${targets[0].uid}`, 'harassment');
  assert.equal((await getDoc(honest)).data().reporterId, mallory.uid);
});

test('a second conversation within the window is refused', async () => {
  const mallory = await joins('mallory');
  const [first, second] = [await joins('first'), await joins('second')];
  const opens = (member) => startsConversation(mallory, [member]);
  await opens(first);
  await refused(opens(second), 'permission-denied');
});
