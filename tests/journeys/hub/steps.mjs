// Steps of the resource hub in the members' words: listing a service, applying as its
// provider, publishing it once verified, reviewing it, finding a review helpful, and searching
// the hub (category, language, eligibility, near me), counting a use of a service (a view, a
// referral), as the Mitché app writes and reads them.
// A listing stores its status and visibility explicitly: the hub's queries filter on both.
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  GeoPoint,
  increment,
  limit,
  orderBy,
  query,
  serverTimestamp,
  setDoc,
  updateDoc,
  where,
} from 'firebase/firestore';

import { until } from '../harness/index.mjs';
import { createsStamped, stampedBatch } from '../help/steps.mjs';

const SHOWN = ['pending', 'approved', 'flagged'];
const AUDIENCE = ['public', 'community'];
const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** The geohash of a point, `precision` characters long. */
export function geohash(latitude, longitude, precision) {
  let [latLo, latHi, lngLo, lngHi] = [-90, 90, -180, 180];
  let hash = '';
  let value = 0;
  for (let bit = 0; hash.length < precision; bit += 1) {
    value <<= 1;
    if (bit % 2 === 0) {
      const middle = (lngLo + lngHi) / 2;
      if (longitude >= middle) [value, lngLo] = [value | 1, middle];
      else lngHi = middle;
    } else {
      const middle = (latLo + latHi) / 2;
      if (latitude >= middle) [value, latLo] = [value | 1, middle];
      else latHi = middle;
    }
    if (bit % 5 === 4) {
      hash += BASE32[value];
      value = 0;
    }
  }
  return hash;
}

/** `member` lists a service as a draft at `point`; resolves to its reference. */
export async function listsService(member, { name, category = 'food', languages = ['fr'],
  groups = ['everyone'], point = { latitude: 48.8566, longitude: 2.3522 } } = {}) {
  const ref = doc(collection(member.db, 'resources'));
  await setDoc(ref, {
    submittedBy: member.uid,
    name: name ?? `Service of ${member.name}`,
    description: 'Warm meals every evening, no questions asked.',
    category,
    status: 'draft',
    visibility: 'community',
    languages,
    eligibility: { groups },
    provider: { name: `Association of ${member.name}` },
    location: {
      point: new GeoPoint(point.latitude, point.longitude),
      geohash: geohash(point.latitude, point.longitude, 9),
      address: '1 rue de la Paix, Paris',
    },
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
  return ref;
}

/** The listing's provider application of `member`. */
export function applicationOf(member, resource) {
  return doc(member.db, 'resources', resource.id, 'private', 'providerApplication');
}

/** `member` applies to be verified as the provider of their listing. */
export function appliesAsProvider(member, resource) {
  return setDoc(applicationOf(member, resource), {
    applicantId: member.uid,
    roleInOrganization: 'volunteer coordinator',
    evidence: 'Our association is registered under W751234567; my name is on our website.',
    appliedAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

/** `member` publishes their listing (moves it out of draft). */
export function publishes(member, resource) {
  return updateDoc(doc(member.db, resource.path), {
    status: 'active',
    updatedAt: serverTimestamp(),
  });
}

/** The resource as `member` reads it (null when the rules let them see nothing). */
export async function readsResource(member, resource) {
  const snapshot = await getDoc(doc(member.db, resource.path));
  return snapshot.exists() ? snapshot.data() : null;
}

/** Wait until the resource, as `member` reads it, satisfies `predicate`. */
export async function resourceReaches(member, resource, predicate, what) {
  const snapshot = await until(doc(member.db, resource.path), (s) => predicate(s.data()), { what });
  return snapshot.data();
}

/** `member`'s review of `resource`. */
export function reviewOf(member, resource, authorId = member.uid) {
  return doc(member.db, 'resources', resource.id, 'reviews', authorId);
}

/** `member` reviews the resource with `stars`. */
export function reviews(member, resource, stars, comment = 'Kind people, good food.') {
  return createsStamped(member, 'lastReview', reviewOf(member, resource), {
    authorId: member.uid,
    rating: stars,
    comment,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

/** `member` changes the stars of their review. */
export function changesReview(member, resource, stars) {
  return updateDoc(reviewOf(member, resource), { rating: stars, updatedAt: serverTimestamp() });
}

/** `member` deletes their review. */
export function deletesReview(member, resource) {
  return deleteDoc(reviewOf(member, resource));
}

/** `member` finds `author`'s review of the resource helpful. */
export function findsHelpful(member, resource, author) {
  return setDoc(
    doc(member.db, 'resources', resource.id, 'reviews', author.uid, 'helpful', member.uid),
    { userId: member.uid, createdAt: serverTimestamp() },
  );
}

/** The hub's category screen, as `member` reads it. */
export async function searchesByCategory(member, category) {
  const found = await getDocs(query(
    collection(member.db, 'resources'),
    where('status', '==', 'active'),
    where('visibility', 'in', AUDIENCE),
    where('moderation.status', 'in', SHOWN),
    where('category', '==', category),
    orderBy('name'),
    limit(100),
  ));
  return found.docs.map((d) => d.id);
}

/** The hub filtered by a language the service is delivered in. */
export async function searchesByLanguage(member, language) {
  const found = await getDocs(query(
    collection(member.db, 'resources'),
    where('status', '==', 'active'),
    where('visibility', 'in', AUDIENCE),
    where('moderation.status', 'in', SHOWN),
    where('languages', 'array-contains', language),
    orderBy('name'),
    limit(100),
  ));
  return found.docs.map((d) => d.id);
}

/** The hub filtered by a group the service is open to. */
export async function searchesByEligibility(member, group) {
  const found = await getDocs(query(
    collection(member.db, 'resources'),
    where('status', '==', 'active'),
    where('visibility', 'in', AUDIENCE),
    where('moderation.status', 'in', SHOWN),
    where('eligibility.groups', 'array-contains', group),
    orderBy('name'),
    limit(100),
  ));
  return found.docs.map((d) => d.id);
}

/** Resources of `category` listed in the 6-character cell of `point` (near me, one ring). */
export async function searchesNearMe(member, category, point) {
  const cell = geohash(point.latitude, point.longitude, 6);
  const found = await getDocs(query(
    collection(member.db, 'systemSettings', 'nearMe', 'nearbyResources'),
    where('category', '==', category),
    where('key', '==', '~'),
    where('cell', 'in', [cell]),
    orderBy('__name__'),
    limit(100),
  ));
  return found.docs.map((d) => d.id);
}

/** The usage shard `shard` (0 to 9) of the resource, as `member` addresses it. */
export function usageShard(member, resource, shard) {
  return doc(member.db, 'resources', resource.id, 'usageShards', String(shard));
}

/**
 * `member` counts one use of the resource (`counter`: views, referrals, contactClicks or
 * directionRequests) as the app does: +1 on a shard picked at random, in the batch that sets
 * their `lastUsage` stamp naming that shard. `amount` other than 1 is a cheat.
 */
export function countsUse(member, resource, counter, { shard, amount = 1 } = {}) {
  const ref = usageShard(member, resource, shard ?? Math.floor(Math.random() * 10));
  const batch = stampedBatch(member, 'lastUsage', ref);
  batch.set(ref, { [counter]: increment(amount) }, { merge: true });
  return batch.commit();
}
