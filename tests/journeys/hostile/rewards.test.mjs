// Hostile journey: points are earned from what others confirm (issue 21, holes 6 and the
// multi-award bug). A brand-new member farming standing offers earns nothing; a request fulfilled
// by two helpers pays both, with the production achievement catalog loaded.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { closeAll, settled } from '../harness/index.mjs';
import { hopePoints, joins, myProfile } from '../harness/mitche.mjs';
import {
  accepts,
  marksFulfilled,
  offersHelp,
  offersToAnyone,
  postsRequest,
  profileReaches,
} from '../help/steps.mjs';
import { ledgerOf } from './steps.mjs';

after(closeAll);

test('a brand-new member\'s standing offer counts but pays nothing: nobody confirmed anything yet', async () => {
  const farmer = await joins('farmer');
  await offersToAnyone(farmer);
  await settled();
  const me = await profileReaches(farmer, (data) => data?.stats?.offeringsMade === 1, 'the count');
  assert.equal(me.gamification?.hopePoints?.total ?? 0, 0, 'no points for an act performed alone');
  const made = (await ledgerOf(farmer)).filter((entry) => entry.action === 'offeringMade');
  assert.deepEqual(made, [{ action: 'offeringMade', amount: 0, capped: true }]);
});

test('alice\'s request fulfilled by bob and carol pays both (one transaction, catalog loaded)', async () => {
  const alice = await joins('alice');
  const bob = await joins('bob');
  const carol = await joins('carol');
  const request = await postsRequest(alice);
  await settled();
  const byBob = await offersHelp(bob, request, alice.uid);
  const byCarol = await offersHelp(carol, request, alice.uid);
  await settled();
  await accepts(alice, byBob);
  await accepts(alice, byCarol);
  await settled();
  await marksFulfilled(alice, request, [bob.uid, carol.uid]);
  await settled();
  for (const helper of [bob, carol]) {
    const me = await myProfile(helper);
    assert.equal(me.stats.requestsFulfilled, 1, `${helper.name} counted the fulfilment`);
    assert.ok((await hopePoints(helper)) >= 35, `${helper.name} was paid (accepted + fulfilled)`);
  }
});
