// Journey: alice posts a request in the Croix-Rousse; bob, a kilometre away, finds it near him;
// carol, 20 km away, does not; once alice withdraws it, bob no longer finds it. Hostile twins:
// nobody writes the near-me entries but the functions, and nobody lists them signed out or
// without a limit.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { collection, doc, getDocs, query, setDoc, where } from 'firebase/firestore';

import { closeAll, refused, settled, signUp } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { marksFulfilled, postsRequest } from '../help/steps.mjs';
import { findsNearby, publicLocation } from './steps.mjs';

after(closeAll);

const CROIX_ROUSSE = { latitude: 45.7745, longitude: 4.829 };
const NEAR_BOB = { latitude: 45.7665, longitude: 4.8352 }; // about a kilometre south
const FAR_CAROL = { latitude: 45.9545, longitude: 4.829 }; // 20 km north

async function postsNearby(member) {
  return postsRequest(member, {
    title: 'Help carrying shopping upstairs',
    urgency: 'critical',
    remoteOk: false,
    location: publicLocation(CROIX_ROUSSE, 'Croix-Rousse, Lyon'),
  });
}

test('bob finds alice\'s new request near him; carol, 20 km away, does not', async () => {
  const alice = await joins('alice');
  const bob = await joins('bob');
  const carol = await joins('carol');
  const request = await postsNearby(alice);
  await settled();
  const nearBob = await findsNearby(bob, NEAR_BOB, 2);
  assert.ok(
    nearBob.some((found) => found.id === request.id),
    'bob sees alice\'s request in his near-me feed',
  );
  const nearCarol = await findsNearby(carol, FAR_CAROL, 5);
  assert.ok(
    !nearCarol.some((found) => found.id === request.id),
    'carol, 20 km away, does not see it',
  );
});

test('once alice withdraws her request, bob no longer finds it', async () => {
  const alice = await joins('alice');
  const bob = await joins('bob');
  const request = await postsNearby(alice);
  await settled();
  assert.ok((await findsNearby(bob, NEAR_BOB, 2)).some((found) => found.id === request.id));
  await marksFulfilled(alice, request, [], { status: 'closed' });
  await settled();
  assert.ok(
    !(await findsNearby(bob, NEAR_BOB, 2)).some((found) => found.id === request.id),
    'the withdrawn request left bob\'s feed',
  );
});

test('mallory cannot list herself near everyone, nor read the entries signed out or unbounded', async () => {
  const mallory = await joins('mallory');
  const entries = collection(mallory.db, 'systemSettings', 'nearMe', 'nearbyRequests');
  await refused(
    setDoc(doc(entries, 'fake-request'), { key: 'a~', cell: 'u05kq4', area: 'u05kq' }),
  );
  await refused(getDocs(query(entries, where('cell', 'in', ['u05kq4']))));
  const visitor = await signUp('visitor');
  await visitor.auth.signOut();
  const visitorEntries = collection(visitor.db, 'systemSettings', 'nearMe', 'nearbyRequests');
  await refused(getDocs(query(visitorEntries, where('cell', 'in', ['u05kq4']))));
});
