// Journey: a popular service's usage, counted without a hot document. Members open the food
// bank's page at once and refer friends to it; each use lands on one of ten shards, and the
// listing's views and referrals, summed by a function at most once a second, add up to every
// use. Hostile twins: ten views in one write, a view of a draft nobody else may read, a second
// view straight after the first (rate limit), a shard outside the ten, reading a shard, and
// writing the listing's counts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { doc, getDoc, serverTimestamp, updateDoc } from 'firebase/firestore';

import { closeAll, makeAdmin, makeModerator, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  appliesAsProvider,
  countsUse,
  listsService,
  publishes,
  resourceReaches,
  usageShard,
} from './steps.mjs';

after(closeAll);

const VIEWERS = 12;
const cast = {};

before(async () => {
  cast.admin = await joins('ada');
  cast.mod = await joins('moe');
  await makeAdmin(cast.admin);
  await makeModerator(cast.admin, cast.mod);
  cast.lea = await joins('lea');
  cast.resource = await listsService(cast.lea, { name: 'Épicerie solidaire' });
  await appliesAsProvider(cast.lea, cast.resource);
  await cast.mod.call('decide_provider', { resourceId: cast.resource.id, verdict: 'verify' });
  await cast.lea.refreshToken();
  await publishes(cast.lea, cast.resource);
  cast.viewers = await Promise.all(
    Array.from({ length: VIEWERS }, (_, n) => joins(`viewer${n}`)),
  );
  cast.referrers = await Promise.all([joins('rosa'), joins('remi')]);
  await settled();
});

test(`${VIEWERS} members open the page at once and two refer friends; every use is counted`, async () => {
  await Promise.all(cast.viewers.map((viewer) => countsUse(viewer, cast.resource, 'views')));
  const counted = await resourceReaches(
    cast.lea,
    cast.resource,
    (data) => data?.metrics?.views === VIEWERS,
    `${VIEWERS} views on the listing`,
  );
  assert.ok(counted.usage.summedAt, 'the listing says when its counts were summed');
  await Promise.all(cast.referrers.map((member) => countsUse(member, cast.resource, 'referrals')));
  const referred = await resourceReaches(
    cast.lea,
    cast.resource,
    (data) => data?.usage?.referrals === 2,
    'two referrals on the listing',
  );
  assert.equal(referred.metrics.views, VIEWERS, 'the views stay as they were');
});

test('hostile: ten views in one write, or a view straight after one, are refused', async () => {
  const mallory = await joins('mallory');
  await refused(countsUse(mallory, cast.resource, 'views', { shard: 3, amount: 10 }));
  await countsUse(mallory, cast.resource, 'views', { shard: 3 });
  await refused(countsUse(mallory, cast.resource, 'views', { shard: 4 }));
});

test('hostile: a shard outside the ten, a draft nobody else reads, reading a shard', async () => {
  const mallory = await joins('mallory');
  await refused(countsUse(mallory, cast.resource, 'views', { shard: 42 }));
  const draft = await listsService(cast.lea, { name: 'Not published yet' });
  await refused(countsUse(mallory, draft, 'views', { shard: 0 }));
  await refused(getDoc(usageShard(mallory, cast.resource, 0)));
  await refused(getDoc(usageShard(cast.lea, cast.resource, 0)), 'permission-denied');
});

test('hostile: nobody writes the listing\'s counts, not even its provider', async () => {
  await refused(
    updateDoc(doc(cast.lea.db, cast.resource.path), {
      'metrics.views': 1000000,
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(
    updateDoc(doc(cast.lea.db, cast.resource.path), {
      'usage.referrals': 500,
      updatedAt: serverTimestamp(),
    }),
  );
});
