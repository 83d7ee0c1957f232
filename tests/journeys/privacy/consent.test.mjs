// Story: bob agrees to appear on the leaderboards and to be counted in the analytics, earns
// points helping alice, and appears on the all-time board under his alias. Then he changes his
// mind: withdrawing takes him off the board and out of the counting, and nobody else can read or
// change his answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { getDoc, serverTimestamp, updateDoc } from 'firebase/firestore';

import { leaderboardsTop } from '@mitche/client';

import { closeAll, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  accepts,
  confirmsAndRates,
  offersHelp,
  postsRequest,
  profileReaches,
  proposesCompletion,
} from '../help/steps.mjs';
import { answersConsents, consentsOf } from './steps.mjs';

let alice;
let bob;

/** The all-time leaderboard as a member reads it: the top entries by points (`leaderboards.top`). */
function allTimeBoard(member) {
  return leaderboardsTop(member.client, { boardId: 'allTime', limit: 500 });
}

const shows = (alias) => (snapshot) => snapshot.docs.some((entry) => entry.data().alias === alias);

before(async () => {
  alice = await joins('alice');
  bob = await joins('bob');
});

after(closeAll);

test('bob agrees to the leaderboards and the analytics; his settings follow his answers', async () => {
  await answersConsents(bob, { analytics: true, leaderboards: true });
  await settled();
  const profile = await profileReaches(
    bob,
    (data) => data.privacy?.leaderboardOptIn === true,
    'bob on the leaderboards by his consent',
  );
  assert.equal(profile.privacy.analyticsOptIn, true);
});

test('bob helps alice and appears on the all-time board under his alias', async () => {
  const request = await postsRequest(alice, { title: 'Someone to walk my dog on Sunday' });
  await settled();
  const offering = await offersHelp(bob, request, alice.uid);
  await settled();
  await accepts(alice, offering);
  await settled();
  await proposesCompletion(bob, offering);
  await confirmsAndRates(alice, offering, 5);
  await settled();
  await profileReaches(bob, (data) => data.gamification?.hopePoints?.total > 0, 'bob earns points');
  await until(allTimeBoard(bob), shows(bob.alias), { what: 'bob on the all-time board' });
});

test('hostile: alice can neither read nor change bob\'s consents', async () => {
  await refused(getDoc(consentsOf(alice, bob)));
  await refused(
    updateDoc(consentsOf(alice, bob), {
      leaderboards: { granted: true, version: '1', answeredAt: serverTimestamp() },
      updatedAt: serverTimestamp(),
    }),
  );
});

test('hostile: bob cannot backdate a changed answer', async () => {
  await refused(
    updateDoc(consentsOf(bob), {
      analytics: { granted: false, version: '1', answeredAt: new Date(2020, 0, 1) },
      updatedAt: serverTimestamp(),
    }),
  );
});

test('bob withdraws both: he leaves the board and the analytics stop counting him', async () => {
  await answersConsents(bob, { analytics: false, leaderboards: false });
  await settled();
  const profile = await profileReaches(
    bob,
    (data) => data.privacy?.leaderboardOptIn === false && data.privacy?.analyticsOptIn === false,
    'bob out of the leaderboards and the analytics',
  );
  assert.equal(profile.privacy.leaderboardOptIn, false);
  await until(allTimeBoard(alice), (snapshot) => !shows(bob.alias)(snapshot), {
    what: 'bob gone from the all-time board',
  });
  const record = (await getDoc(consentsOf(bob))).data();
  assert.equal(record.leaderboards.granted, false, 'his record says what he answered');
  assert.equal(record.termsVersion, '2026-11');
});
