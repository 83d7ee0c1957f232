// The resource hub for the members who use it: a verified provider's food bank is found by
// category, language, eligibility and near me; members review it and the rating follows every
// review written, changed and deleted; a helpful vote counts once per member. Hostile twins:
// writing the rating or the helpful count, a second helpful vote, a vote on one's own review,
// a review of one's own listing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { doc, getDoc, serverTimestamp, updateDoc } from 'firebase/firestore';

import { decideProvider } from '@mitche/client';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { createsStamped } from '../help/steps.mjs';
import {
  appliesAsProvider,
  changesReview,
  deletesReview,
  findsHelpful,
  listsService,
  publishes,
  resourceReaches,
  reviewOf,
  reviews,
  searchesByCategory,
  searchesByEligibility,
  searchesByLanguage,
  searchesNearMe,
} from './steps.mjs';

after(closeAll);

const cast = {};
const TOULOUSE = { latitude: 43.6045, longitude: 1.4442 };

before(async () => {
  cast.admin = await joins('ada');
  cast.mod = await joins('moe');
  await makeAdmin(cast.admin);
  await makeModerator(cast.admin, cast.mod);
  cast.lea = await joins('lea');
  cast.resource = await listsService(cast.lea, {
    name: 'Soupe du soir',
    category: 'food',
    languages: ['fr', 'oc'],
    groups: ['homeless', 'families'],
    point: TOULOUSE,
  });
  await appliesAsProvider(cast.lea, cast.resource);
  await decideProvider(cast.mod.client, { resourceId: cast.resource.id, verdict: 'verify' });
  await cast.lea.refreshToken();
  await publishes(cast.lea, cast.resource);
  await settled();
});

test('sam finds the food bank by category, by language, by eligibility and near him', async () => {
  const sam = await joins('sam');
  assert.ok((await searchesByCategory(sam, 'food')).includes(cast.resource.id), 'category');
  assert.ok((await searchesByLanguage(sam, 'oc')).includes(cast.resource.id), 'language');
  assert.ok(!(await searchesByLanguage(sam, 'de')).includes(cast.resource.id), 'not German');
  assert.ok((await searchesByEligibility(sam, 'homeless')).includes(cast.resource.id), 'group');
  assert.ok(!(await searchesByEligibility(sam, 'veterans')).includes(cast.resource.id), 'not veterans');
  assert.ok((await searchesNearMe(sam, 'food', TOULOUSE)).includes(cast.resource.id), 'near me');
  assert.ok(!(await searchesNearMe(sam, 'shelter', TOULOUSE)).includes(cast.resource.id), 'other category');
});

test('reviews move the rating: written, changed and deleted, the average follows', async () => {
  const sam = await joins('sam');
  const tia = await joins('tia');
  await reviews(sam, cast.resource, 5);
  await reviews(tia, cast.resource, 2);
  await settled();
  let listing = await resourceReaches(
    sam, cast.resource, (data) => data?.rating?.count === 2, 'two reviews counted',
  );
  assert.deepEqual(listing.rating, { count: 2, average: 3.5 });
  await changesReview(tia, cast.resource, 4);
  await settled();
  listing = await resourceReaches(
    sam, cast.resource, (data) => data?.rating?.average === 4.5, 'the changed review counted',
  );
  assert.equal(listing.rating.count, 2);
  await deletesReview(sam, cast.resource);
  await settled();
  listing = await resourceReaches(
    tia, cast.resource, (data) => data?.rating?.count === 1, 'the deleted review gone',
  );
  assert.deepEqual(listing.rating, { count: 1, average: 4 });
});

test('nobody writes the rating but the server, and lea cannot review her own listing', async () => {
  const mallory = await joins('mallory');
  await refused(updateDoc(doc(cast.lea.db, cast.resource.path), {
    rating: { count: 100, average: 5 },
    updatedAt: serverTimestamp(),
  }));
  await refused(reviews(cast.lea, cast.resource, 5));
  await refused(createsStamped(mallory, 'lastReview', reviewOf(mallory, cast.resource), {
    authorId: mallory.uid,
    rating: 5,
    helpfulCount: 99,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  }));
});

test('a helpful vote counts once per member; a second vote and a vote on one\'s own review are refused', async () => {
  const uma = await joins('uma');
  const vic = await joins('vic');
  const wes = await joins('wes');
  await reviews(uma, cast.resource, 4, 'Bring your own box for leftovers.');
  await settled();
  await findsHelpful(vic, cast.resource, uma);
  await findsHelpful(wes, cast.resource, uma);
  await refused(findsHelpful(vic, cast.resource, uma), 'permission-denied');
  await refused(findsHelpful(uma, cast.resource, uma));
  await refused(updateDoc(reviewOf(vic, cast.resource, uma.uid), { helpfulCount: 50 }));
  await settled();
  const review = await until(
    reviewOf(vic, cast.resource, uma.uid),
    (snapshot) => snapshot.data()?.helpfulCount === 2,
    { what: 'two helpful votes counted' },
  );
  assert.equal(review.data().helpfulCount, 2);
  const own = await getDoc(doc(vic.db, reviewOf(vic, cast.resource, uma.uid).path, 'helpful', vic.uid));
  assert.ok(own.exists(), 'vic sees his own vote');
  await refused(getDoc(doc(wes.db, reviewOf(wes, cast.resource, uma.uid).path, 'helpful', vic.uid)));
});
