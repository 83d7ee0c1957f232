// The Hope Tapestry: alice tells how bob brought her groceries (the request he helped with is
// the story's fact), bob consents to be credited, a moderator approves, and the story is woven
// into the tapestry with its place, its credits and its impact; members give it hearts. Hostile
// twins: a story published without the subject's consent, a moderator approving their own
// story, client-written placement or impact, a second heart, hearts on a pending story.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { doc, getDocs, serverTimestamp, updateDoc } from 'firebase/firestore';

import { decideStory, notificationsMine, tapestryThreads } from '@mitche/client';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { accepts, offersHelp, postsRequest } from '../help/steps.mjs';
import {
  answers,
  givesHeart,
  nominates,
  nominatesByHand,
  readsStory,
  takesHeartBack,
  tapestry,
} from './steps.mjs';

after(closeAll);

/** The member's in-app notifications, as their notification screen lists them. */
async function notificationsOf(member) {
  const found = await getDocs(notificationsMine(member.client, { limit: 50 }));
  return found.docs.map((d) => {
    const data = d.data();
    return { ...data, target: data.target?.path ?? data.target };
  });
}

const cast = {};

before(async () => {
  cast.admin = await joins('ada');
  cast.mod = await joins('moe');
  await makeAdmin(cast.admin);
  await makeModerator(cast.admin, cast.mod);
});

/** alice asked for groceries and accepted bob's help: the fact a story can cite. */
async function bobHelpedAlice() {
  const alice = await joins('alice');
  const bob = await joins('bob');
  const request = await postsRequest(alice);
  await settled();
  const offering = await offersHelp(bob, request, alice.uid);
  await settled();
  await accepts(alice, offering);
  await settled();
  return { alice, bob, request };
}

test('alice\'s story about bob waits for bob\'s consent; bob is credited, the story is woven with its impact', async () => {
  const { alice, bob, request } = await bobHelpedAlice();
  const thread = await nominates(alice, { subject: bob, relatedPath: request.path });
  await settled();
  const told = await notificationsOf(bob);
  const nominated = told.find((n) => n.kind === 'storyNominated' && n.target === thread.path);
  assert.ok(nominated, 'bob is told a story names him');
  assert.equal((await readsStory(bob, thread)).title, 'The groceries that came on time',
    'bob reads the story he is asked about');
  const outsider = await joins('oscar');
  assert.equal(await readsStory(outsider, thread), null, 'pending: nobody else reads it');
  await refused(
    decideStory(cast.mod.client, { threadId: thread.id, verdict: 'approve' }),
    'failed-precondition',
  );
  assert.equal((await readsStory(alice, thread)).status ?? 'pending', 'pending', 'nothing published');
  await answers(bob, thread, 'credit');
  const decided = await decideStory(cast.mod.client, { threadId: thread.id, verdict: 'approve' });
  assert.equal(decided.status, 'approved');
  assert.ok(Number.isInteger(decided.threadIndex), 'the story has its place in the weave');
  await settled();
  const feed = await until(
    tapestry(bob),
    (snapshot) => snapshot.docs.some((d) => d.id === thread.id),
    { what: 'the story in the tapestry' },
  );
  const story = feed.docs.find((d) => d.id === thread.id).data();
  assert.equal(story.placement.threadIndex, decided.threadIndex);
  assert.match(story.placement.panel, /^\d{4}-\d{2}$/);
  assert.deepEqual(story.credits, { nominatorAlias: alice.alias, subjectAlias: bob.alias });
  assert.equal(story.impact.helpers, 1, 'bob, the accepted helper');
  assert.equal(story.impact.peopleHelped, 1, 'alice');
  assert.equal(story.impact.relatedActs, 1);
  const indexes = feed.docs.map((d) => d.data().placement.threadIndex);
  assert.deepEqual(indexes, [...indexes].sort((a, b) => a - b), 'the feed is in weaving order');
  await refused(
    decideStory(cast.mod.client, { threadId: thread.id, verdict: 'approve' }),
    'failed-precondition',
  );
  await settled();
  for (const member of [alice, bob]) {
    const approved = (await notificationsOf(member))
      .filter((n) => n.kind === 'storyApproved' && n.target === thread.path);
    assert.equal(approved.length, 1, `${member.name} is told once that the story is woven`);
  }
});

test('a story about a member who declines is never published; it can only be rejected', async () => {
  const { alice, bob, request } = await bobHelpedAlice();
  const thread = await nominates(alice, { subject: bob, relatedPath: request.path });
  await answers(bob, thread, 'decline');
  await refused(
    decideStory(cast.mod.client, { threadId: thread.id, verdict: 'approve' }),
    'failed-precondition',
  );
  const decided = await decideStory(cast.mod.client, {
    threadId: thread.id,
    verdict: 'reject',
    reason: 'subjectDeclined',
  });
  assert.equal(decided.status, 'rejected');
  const mine = await readsStory(alice, thread);
  assert.equal(mine.review.reason, 'subjectDeclined', 'alice reads why');
  assert.equal(mine.placement ?? null, null, 'never woven');
});

test('an anonymous subject is not named; a moderator never approves their own story', async () => {
  const { alice, bob, request } = await bobHelpedAlice();
  const thread = await nominates(alice, { subject: bob, relatedPath: request.path, credit: 'anonymous' });
  await answers(bob, thread, 'anonymous');
  await decideStory(cast.mod.client, { threadId: thread.id, verdict: 'approve' });
  const story = await readsStory(bob, thread);
  assert.equal(story.credits?.nominatorAlias ?? null, null, 'alice chose to stay anonymous');
  assert.equal(story.credits?.subjectAlias ?? null, null, 'bob chose to stay anonymous');
  const own = await nominates(cast.mod, { title: 'My own good deed' });
  await refused(
    decideStory(cast.mod.client, { threadId: own.id, verdict: 'approve' }),
    'permission-denied',
  );
  await refused(
    alice.call('decide_story', { threadId: own.id, verdict: 'approve' }),
    'permission-denied',
  );
});

test('nobody writes the placement, the status, the impact or the hearts but the server', async () => {
  const mallory = await joins('mallory');
  await refused(nominatesByHand(mallory, {
    placement: { threadIndex: 0, panel: '2026-01', wovenAt: serverTimestamp() },
  }));
  await refused(nominatesByHand(mallory, { impact: { helpers: 1000 } }));
  await refused(nominatesByHand(mallory, { status: 'approved' }));
  const thread = await nominates(mallory);
  await refused(updateDoc(doc(mallory.db, thread.path), {
    hearts: 500,
    updatedAt: serverTimestamp(),
  }));
  await refused(updateDoc(doc(mallory.db, thread.path), {
    status: 'approved',
    updatedAt: serverTimestamp(),
  }));
  await refused(givesHeart(mallory, thread), 'permission-denied');
});

test('hearts count one per member: a second heart is refused, a heart taken back is uncounted', async () => {
  const cleo = await joins('cleo');
  const thread = await nominates(cleo, { title: 'I walked a neighbour\'s dog' });
  await decideStory(cast.mod.client, { threadId: thread.id, verdict: 'approve' });
  const fans = [await joins('dan'), await joins('eve'), await joins('fay')];
  await Promise.all(fans.map((fan) => givesHeart(fan, thread)));
  await refused(givesHeart(fans[0], thread));
  await settled();
  let story = await until(
    tapestryThreads.doc(cleo.db, thread.id),
    (snapshot) => snapshot.data()?.hearts === 3,
    { what: 'three hearts counted' },
  );
  await takesHeartBack(fans[1], thread);
  await settled();
  story = await until(
    tapestryThreads.doc(cleo.db, thread.id),
    (snapshot) => snapshot.data()?.hearts === 2,
    { what: 'the heart taken back' },
  );
  assert.equal(story.data().hearts, 2);
});
