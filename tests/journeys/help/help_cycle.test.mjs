// Journey: alice asks for groceries; bob finds her request, offers, is accepted, they talk,
// alice confirms and rates him; bob's points and counters move, once. From an empty database,
// through the rules and the triggers, with the cheats' twins beside the steps they attack.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, getDoc, serverTimestamp, updateDoc } from 'firebase/firestore';

import { closeAll, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  accepts,
  categoryFeed,
  confirmsAndRates,
  conversationOf,
  feedShows,
  inbox,
  marksFulfilled,
  messagesOf,
  offersHelp,
  postsRequest,
  profileReaches,
  proposesCompletion,
  reads,
  readsConversation,
  says,
  urgencyFeed,
} from './steps.mjs';

after(closeAll);

const cast = {};
let request;
let offering;
let conversation;

test('alice, bob and carol join; alice posts a request and the screen approves it', async () => {
  cast.alice = await joins('alice');
  cast.bob = await joins('bob');
  cast.carol = await joins('carol');
  request = await postsRequest(cast.alice, { urgency: 'high', category: 'food' });
  await settled();
  const mine = await reads(cast.alice, request);
  assert.equal(mine.moderation.status, 'approved', 'alice sees her request approved');
});

test('bob finds it in the high-urgency feed and by category', async () => {
  await feedShows(cast.bob, urgencyFeed(cast.bob, 'high'), request);
  await feedShows(cast.bob, categoryFeed(cast.bob, 'food'), request);
});

test('alice cannot name bob an accepted helper herself (minting twin)', async () => {
  await refused(
    updateDoc(doc(cast.alice.db, request.path), {
      acceptedHelperIds: [cast.bob.uid],
      status: 'inProgress',
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(marksFulfilled(cast.alice, request, [cast.bob.uid]));
});

test('bob offers; alice accepts; bob joins the request and a conversation opens', async () => {
  offering = await offersHelp(cast.bob, request, cast.alice.uid);
  await accepts(cast.alice, offering);
  conversation = await conversationOf(cast.bob, offering);
  const seen = await reads(cast.alice, request);
  assert.deepEqual(seen.acceptedHelperIds, [cast.bob.uid]);
  assert.equal(seen.status, 'inProgress');
  await feedShows(cast.carol, urgencyFeed(cast.carol, 'high'), request, {
    absent: true,
    what: 'the open feed to drop the request in progress',
  });
});

test('they chat; alice\'s inbox shows bob\'s last message and one unread, cleared when she reads', async () => {
  await says(cast.alice, conversation, 'Thank you! Milk and bread, please.');
  await says(cast.bob, conversation, 'On my way at 10.');
  await settled();
  const box = await until(
    inbox(cast.alice),
    (snapshot) => snapshot.docs.some((found) => found.id === conversation.id),
    { what: 'alice\'s inbox to list the conversation' },
  );
  const summary = box.docs.find((found) => found.id === conversation.id).data();
  assert.equal(summary.lastMessage.preview, 'On my way at 10.');
  assert.equal(summary.messageCount, 2);
  assert.equal(summary.unreadCounts[cast.alice.uid], 1);
  await readsConversation(cast.alice, conversation);
  await settled();
  await until(
    doc(cast.alice.db, conversation.path),
    (snapshot) => snapshot.data().unreadCounts[cast.alice.uid] === 0,
    { what: 'alice\'s unread badge to clear' },
  );
  assert.deepEqual(await messagesOf(cast.bob, conversation), [
    'On my way at 10.',
    'Thank you! Milk and bread, please.',
  ]);
  assert.deepEqual(await messagesOf(cast.carol, conversation), [], 'carol reads none of it');
  await refused(getDoc(doc(cast.carol.db, conversation.path)));
});

test('bob cannot complete the help alone; he proposes, alice confirms and rates him', async () => {
  const before = await profileReaches(cast.bob, () => true, 'bob\'s profile');
  const pointsBefore = before.gamification?.hopePoints?.total ?? 0;
  await refused(
    updateDoc(doc(cast.bob.db, offering.path), {
      status: 'completed',
      completedAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    }),
  );
  await proposesCompletion(cast.bob, offering);
  await confirmsAndRates(cast.alice, offering, 5);
  await marksFulfilled(cast.alice, request, [cast.bob.uid]);
  await settled();
  const bob = await profileReaches(
    cast.bob,
    (me) => me.stats?.requestsFulfilled === 1 && me.stats?.positiveFeedback === 1,
    'bob\'s counters to show the fulfilled request and the positive feedback',
  );
  assert.ok(bob.gamification.hopePoints.total > pointsBefore, 'bob earned hope points');
  assert.equal((await reads(cast.alice, request)).status, 'fulfilled');
});

test('one exchange pays its feedback once (double-feedback twins)', async () => {
  const paid = (await profileReaches(cast.bob, () => true, 'bob')).gamification.hopePoints.total;
  await refused(
    updateDoc(doc(cast.alice.db, request.path), {
      'completion.feedback': { rating: 5, authorId: cast.alice.uid, createdAt: serverTimestamp() },
      updatedAt: serverTimestamp(),
    }),
  );
  await updateDoc(doc(cast.alice.db, offering.path), {
    requesterFeedback: {
      rating: 4,
      comment: 'Still grateful',
      authorId: cast.alice.uid,
      createdAt: serverTimestamp(),
    },
    updatedAt: serverTimestamp(),
  });
  await settled();
  const bob = await profileReaches(cast.bob, () => true, 'bob');
  assert.equal(bob.stats.positiveFeedback, 1);
  assert.equal(bob.gamification.hopePoints.total, paid);
});

test('a stranger cannot pay an accomplice through a request of her own', async () => {
  const mallory = await joins('mallory');
  const own = await postsRequest(mallory, { urgency: 'low' });
  await refused(
    updateDoc(doc(mallory.db, own.path), {
      acceptedHelperIds: [cast.carol.uid],
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(marksFulfilled(mallory, own, [cast.carol.uid]));
});
