// Journey: a popular event fills up. Forty-five members ask for a place at once (truly
// concurrent writes, some bringing guests) on an event with 20 seats: exactly the seats the
// queue fills are registered, in the order the members asked, the rest wait in that order;
// only placed members read the join link; a cancellation promotes the next in line, who is
// told. Hostile twins: jumping the queue by writing `registered` or an earlier time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Timestamp, doc, serverTimestamp, updateDoc } from 'firebase/firestore';

import { closeAll, refused, settled, signUp, until } from '../harness/index.mjs';
import { joins, reachesPrivilege } from '../harness/mitche.mjs';
import {
  approvedEvent,
  cancels,
  countsMatchRegistrations,
  joinLink,
  moderationTeam,
  notificationsOf,
  placeOf,
  registers,
  registersByHand,
  registrationOf,
} from './steps.mjs';

after(closeAll);

const SEATS = 20;
const MEMBERS = 45;
let organiser;
let event;
let crowd;

/** The queue's order: the time each member asked, then the registration id. */
function inQueueOrder(registrations) {
  return [...registrations].sort(
    (a, b) =>
      a.requestedAt.toMillis() - b.requestedAt.toMillis() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

before(async () => {
  const { moderator } = await moderationTeam();
  organiser = await joins('olga');
  await reachesPrivilege(moderator, organiser, 'canOrganizeEvents');
  event = await approvedEvent(organiser, moderator, { capacity: SEATS });
  crowd = await Promise.all(
    Array.from({ length: MEMBERS }, (_, n) => signUp(`member${n}`)),
  );
});

test(`${MEMBERS} members ask for a place at once: exactly ${SEATS} seats are filled, in order`, async () => {
  await Promise.all(crowd.map((member, n) => registers(member, event, { guests: n % 5 === 0 ? 2 : 0 })));
  const places = await Promise.all(crowd.map((member) => placeOf(member, event)));
  assert.ok(places.every((place) => place.status !== 'pending'), 'every member was placed');
  const { counts, registrations } = await countsMatchRegistrations(organiser, event);
  assert.equal(registrations.length, MEMBERS);
  assert.ok(counts.registered <= SEATS, 'never more seats than the capacity');
  // Walk the queue as the rules of the game say: seats go in order until one party does not
  // fit; from there on everyone waits.
  let free = SEATS;
  let blocked = false;
  for (const registration of inQueueOrder(registrations)) {
    const seats = 1 + registration.guests;
    const expected = !blocked && seats <= free ? 'registered' : 'waitlisted';
    if (expected === 'registered') free -= seats;
    else blocked = true;
    assert.equal(registration.status, expected, `${registration.id} is ${expected} in queue order`);
  }
  assert.ok(counts.waitlisted > 0, 'the rest wait');
});

test('only a registered member reads the join link; a waiting one is refused', async () => {
  const registrations = await countsMatchRegistrations(organiser, event);
  const byId = new Map(registrations.registrations.map((r) => [r.id, r]));
  const seated = crowd.find((member) => byId.get(member.uid).status === 'registered');
  const waiting = crowd.find((member) => byId.get(member.uid).status === 'waitlisted');
  assert.match(await joinLink(seated, event), /^https:\/\/meet\.jit\.si\//);
  await refused(joinLink(waiting, event));
});

test('a registered member cancels: the head of the waitlist is promoted and told', async () => {
  const before = (await countsMatchRegistrations(organiser, event)).registrations;
  const queue = inQueueOrder(before.filter((r) => r.status === 'waitlisted'));
  const byUid = new Map(crowd.map((member) => [member.uid, member]));
  // Free enough seats for the head of the line, whatever its party size.
  const seatedInOrder = inQueueOrder(before.filter((r) => r.status === 'registered'));
  const head = queue[0];
  const leaving = seatedInOrder.slice(-(1 + head.guests));
  await Promise.all(leaving.map((r) => cancels(byUid.get(r.id), event)));
  const promoted = byUid.get(head.id);
  await until(
    registrationOf(promoted, event),
    (found) => found.data()?.status === 'registered',
    { what: `${promoted.name}, first in line, gets a seat` },
  );
  await settled();
  const told = await notificationsOf(promoted, 'eventRegistrationPromoted');
  assert.equal(told.length, 1, 'the promoted member is told once');
  assert.match(told[0].body, /Online repair café/);
  const { counts } = await countsMatchRegistrations(organiser, event);
  assert.ok(counts.registered <= SEATS);
  assert.equal(counts.cancelled, leaving.length);
});

test('hostile: a newcomer writes a registration already `registered`', async () => {
  const jumper = await signUp('jumper');
  await refused(registersByHand(jumper, event, { status: 'registered' }));
  await refused(registersByHand(jumper, event, { status: 'waitlisted' }));
});

test('hostile: a newcomer dates their request before everyone else', async () => {
  const jumper = await signUp('early');
  await refused(registersByHand(jumper, event, { requestedAt: Timestamp.fromMillis(Date.UTC(2020, 0, 1)) }));
});

test('hostile: a waiting member promotes themself, or moves their request earlier', async () => {
  const { registrations } = await countsMatchRegistrations(organiser, event);
  const waitingId = registrations.find((r) => r.status === 'waitlisted').id;
  const waiting = crowd.find((member) => member.uid === waitingId);
  const ref = doc(waiting.db, event.path, 'registrations', waiting.uid);
  await refused(updateDoc(ref, { status: 'registered', updatedAt: serverTimestamp() }));
  await refused(
    updateDoc(ref, {
      requestedAt: Timestamp.fromMillis(Date.UTC(2020, 0, 1)),
      updatedAt: serverTimestamp(),
    }),
  );
});
