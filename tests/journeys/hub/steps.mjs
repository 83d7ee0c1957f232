// Steps of the resource hub in the members' words: listing a service, applying as its
// provider, publishing it once verified, reviewing it, finding a review helpful, and searching
// the hub (category, language, eligibility, near me), counting a use of a service (a view, a
// referral), as the Mitché app writes and reads them.
// A listing stores its status and visibility explicitly: the hub's queries filter on both.
// Honest steps go through the client library (`@mitche/client`): its flows, typed writes and
// catalog queries.
import {
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
  writeBatch,
} from 'firebase/firestore';

import {
  applyAsProvider,
  geohash,
  nearbyResourcesRing,
  resources,
  resourcesByCategory,
  resourcesByEligibility,
  resourcesByLanguage,
  resourcesCreate,
  resourcesPrivateProviderApplication,
  resourcesReviews,
  resourcesReviewsUpdate,
  resourcesUpdate,
  reviewResource,
  voteReviewHelpful,
} from '@mitche/client';

import { until } from '../harness/index.mjs';
import { createsStamped, stampedBatch } from '../help/steps.mjs';

/** The geohash of a point, `precision` characters long (the library's). */
export { geohash };

/** `member` lists a service as a draft at `point`; resolves to its reference. */
export async function listsService(member, { name, category = 'food', languages = ['fr'],
  groups = ['everyone'], point = { latitude: 48.8566, longitude: 2.3522 } } = {}) {
  const ref = doc(resources.collection(member.db));
  const batch = writeBatch(member.db);
  resourcesCreate(batch, ref, {
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
  await batch.commit();
  return ref;
}

/** The listing's provider application of `member`. */
export function applicationOf(member, resource) {
  return resourcesPrivateProviderApplication.doc(member.db, resource.id);
}

/** `member` applies to be verified as the provider of their listing. */
export function appliesAsProvider(member, resource) {
  return applyAsProvider(member.client, {
    resourceId: resource.id,
    roleInOrganization: 'volunteer coordinator',
    evidence: 'Our association is registered under W751234567; my name is on our website.',
  });
}

/** `member` publishes their listing (moves it out of draft). */
export function publishes(member, resource) {
  const batch = writeBatch(member.db);
  resourcesUpdate(batch, resources.doc(member.db, resource.id), {
    status: 'active',
    updatedAt: serverTimestamp(),
  });
  return batch.commit();
}

/** The resource as `member` reads it (null when the rules let them see nothing). */
export async function readsResource(member, resource) {
  const snapshot = await getDoc(resources.doc(member.db, resource.id));
  return snapshot.exists() ? snapshot.data() : null;
}

/** Wait until the resource, as `member` reads it, satisfies `predicate`. */
export async function resourceReaches(member, resource, predicate, what) {
  const snapshot = await until(resources.doc(member.db, resource.id), (s) => predicate(s.data()), {
    what,
  });
  return snapshot.data();
}

/** `member`'s review of `resource`. */
export function reviewOf(member, resource, authorId = member.uid) {
  return resourcesReviews.doc(member.db, resource.id, authorId);
}

/** `member` reviews the resource with `stars`. */
export function reviews(member, resource, stars, comment = 'Kind people, good food.') {
  return reviewResource(member.client, { resourceId: resource.id, rating: stars, comment });
}

/** `member` changes the stars of their review. */
export function changesReview(member, resource, stars) {
  const batch = writeBatch(member.db);
  resourcesReviewsUpdate(batch, reviewOf(member, resource), {
    rating: stars,
    updatedAt: serverTimestamp(),
  });
  return batch.commit();
}

/** `member` deletes their review. */
export function deletesReview(member, resource) {
  return deleteDoc(reviewOf(member, resource));
}

/** `member` finds `author`'s review of the resource helpful. */
export function findsHelpful(member, resource, author) {
  return voteReviewHelpful(member.client, { resourceId: resource.id, authorId: author.uid });
}

/** The hub's category screen, as `member` reads it (`resources.byCategory`). */
export async function searchesByCategory(member, category) {
  const found = await getDocs(resourcesByCategory(member.client, { category, limit: 100 }));
  return found.docs.map((d) => d.id);
}

/** The hub filtered by a language the service is delivered in (`resources.byLanguage`). */
export async function searchesByLanguage(member, language) {
  const found = await getDocs(resourcesByLanguage(member.client, { language, limit: 100 }));
  return found.docs.map((d) => d.id);
}

/** The hub filtered by a group the service is open to (`resources.byEligibility`). */
export async function searchesByEligibility(member, group) {
  const found = await getDocs(resourcesByEligibility(member.client, { group, limit: 100 }));
  return found.docs.map((d) => d.id);
}

/** Resources of `category` listed in the 6-character cell of `point` (near me, one ring:
 * `nearby.resources.ring` with the key of an unranked entry). */
export async function searchesNearMe(member, category, point) {
  const cell = geohash(point.latitude, point.longitude, 6);
  const found = await getDocs(
    nearbyResourcesRing(member.client, { category, key: '~', cells: [cell], limit: 100 }),
  );
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
