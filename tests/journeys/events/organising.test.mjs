// Journey: organisers run an event together and end it. Alice invites dan to co-organise; dan
// sees the invitation and accepts; nobody is made co-organiser without saying yes. Attendance
// is confirmed by someone else: alice marks carol, bob enters the code shown at the venue;
// nobody checks themself in. Then alice cancels her other event: every registration is
// cancelled by the server and each member is told.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { doc, getDoc, serverTimestamp, updateDoc, writeBatch } from 'firebase/firestore';

import {
  checkInAtEvent,
  communityEventsPrivateCheckIn,
  communityEventsRegistrations,
  communityEventsRegistrationsUpdate,
  users,
} from '@mitche/client';

import { closeAll, refused, settled, signUp, until } from '../harness/index.mjs';
import { joins, myProfile, reachesPrivilege } from '../harness/mitche.mjs';
import {
  acceptsInvitation,
  approvedEvent,
  countsMatchRegistrations,
  invitesCoOrganiser,
  moderationTeam,
  notificationsOf,
  placeOf,
  readsEvent,
  registers,
  registrationOf,
  updatesEvent,
} from './steps.mjs';

after(closeAll);

let moderator;
let alice;
let bob;
let carol;
let dan;
let eve;
let fay;
let gus;
let hana;
let event;

before(async () => {
  ({ moderator } = await moderationTeam());
  alice = await joins('alice');
  bob = await joins('bob');
  carol = await joins('carol');
  dan = await joins('dan');
  eve = await joins('eve');
  fay = await joins('fay');
  gus = await joins('gus');
  hana = await joins('hana');
  await Promise.all([alice, fay].map((organiser) => reachesPrivilege(moderator, organiser, 'canOrganizeEvents')));
  event = await approvedEvent(alice, moderator, { capacity: 10 });
});

test('hostile: alice makes eve a co-organiser without asking her', async () => {
  await refused(
    updateDoc(doc(alice.db, event.path), {
      coOrganizerIds: [eve.uid],
      updatedAt: serverTimestamp(),
    }),
  );
});

test('alice invites dan; dan reads the event and accepts; he is a co-organiser', async () => {
  await invitesCoOrganiser(alice, event, dan);
  assert.ok(await readsEvent(dan, event), 'the invitee reads what he is asked to run');
  await refused(
    updateDoc(doc(eve.db, event.path), {
      coOrganizerIds: [eve.uid],
      updatedAt: serverTimestamp(),
    }),
  );
  await acceptsInvitation(dan, event);
  const now = await readsEvent(dan, event);
  assert.deepEqual(now.coOrganizerIds, [dan.uid]);
  assert.deepEqual(now.coOrganizerInvites, []);
  assert.equal(now.approval.state, 'approved', 'a consenting co-organiser changes no content');
});

test('bob and carol register; dan, a co-organiser, registers too', async () => {
  await Promise.all([registers(bob, event), registers(carol, event), registers(dan, event)]);
  for (const member of [bob, carol, dan]) {
    assert.equal((await placeOf(member, event)).status, 'registered');
  }
});

test('hostile: carol checks herself in; dan checks himself in with the code', async () => {
  await refused(
    updateDoc(registrationOf(carol, event), {
      attendance: 'attended',
      checkedInAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    }),
  );
  const code = (await getDoc(doc(dan.db, event.path, 'private', 'checkIn'))).data().code;
  await refused(dan.call('check_in_at_event', { eventId: event.id, code }), 'permission-denied');
  await refused(
    updateDoc(doc(alice.db, event.path, 'registrations', dan.uid), {
      attendance: 'attended',
      checkedInAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    }),
  );
});

test('hostile: bob cannot read the check-in code, and a wrong code records nothing', async () => {
  await refused(getDoc(doc(bob.db, event.path, 'private', 'checkIn')));
  await refused(bob.call('check_in_at_event', { eventId: event.id, code: 'AAAAAA' }), 'invalid-argument');
  const mine = (await getDoc(registrationOf(bob, event))).data();
  assert.equal(mine.attendance ?? 'unknown', 'unknown');
});

test('alice marks carol attended; bob enters the code shown at the venue', async () => {
  const attended = writeBatch(alice.db);
  communityEventsRegistrationsUpdate(
    attended,
    communityEventsRegistrations.doc(alice.db, event.id, carol.uid),
    { attendance: 'attended', checkedInAt: serverTimestamp(), updatedAt: serverTimestamp() },
  );
  await attended.commit();
  const code = (await getDoc(communityEventsPrivateCheckIn.doc(alice.db, event.id))).data().code;
  const result = await checkInAtEvent(bob.client, { eventId: event.id, code: code.toLowerCase() });
  assert.equal(result.attendance, 'attended');
  const { counts } = await countsMatchRegistrations(alice, event);
  assert.equal(counts.attended, 2);
  for (const member of [bob, carol]) {
    const me = await until(
      users.doc(member.db, member.uid),
      (found) => found.data()?.stats?.eventsAttended === 1,
      { what: `${member.name}'s attendance counted` },
    );
    assert.equal(me.data().stats.eventsAttended, 1);
  }
  assert.equal((await myProfile(dan))?.stats?.eventsAttended ?? 0, 0, 'no organiser is paid as an attendee');
});

test('fay cancels her event: every registration is cancelled and each member told', async () => {
  const other = await approvedEvent(fay, moderator, { title: 'Online knitting circle' });
  await Promise.all([registers(gus, other), registers(hana, other)]);
  await Promise.all([placeOf(gus, other), placeOf(hana, other)]);
  await updatesEvent(fay, other, { status: 'cancelled' });
  for (const member of [gus, hana]) {
    const snapshot = await until(
      registrationOf(member, other),
      (found) => found.data()?.status === 'cancelled',
      { what: `${member.name}'s registration cancelled with the event` },
    );
    assert.equal(snapshot.data().closedReason, 'eventCancelled');
  }
  await settled();
  for (const member of [gus, hana]) {
    const told = await notificationsOf(member, 'eventRegistrationCancelled');
    assert.ok(told.some((entry) => entry.body.includes('Online knitting circle')), `${member.name} is told`);
  }
  const { counts } = await countsMatchRegistrations(fay, other);
  assert.deepEqual(counts, { registered: 0, waitlisted: 0, cancelled: 2, attended: 0 });
});
