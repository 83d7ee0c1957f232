// Journey: an organiser's event goes through moderation. Submitted, it is pending and seen by
// nobody but its organisers and moderators; a moderator rejects it with a reason the organiser
// reads; the organiser's edit resubmits it; approved, members read it; the organiser moves it
// (the library's moveEvent: a new time and link, the approval withdrawn in the same write) and
// it leaves the feed until a moderator approves it again.
// Hostile twins: self-approval by callable or by writing the approval, a moderator deciding on
// their own event, a material edit that keeps the approval, a "withdrawal" to any other
// approval, a member who organises nothing of the event moving it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  Timestamp,
  doc,
  getDoc,
  getDocs,
  serverTimestamp,
  updateDoc,
  writeBatch,
} from 'firebase/firestore';

import {
  communityEvents,
  communityEventsPrivateAccess,
  communityEventsUpdate,
} from '@mitche/client';

import { closeAll, refused, signUp, until } from '../harness/index.mjs';
import { joins, reachesPrivilege } from '../harness/mitche.mjs';
import {
  approvalReaches,
  decides,
  moderationTeam,
  movesEvent,
  organises,
  readsEvent,
  upcomingFeed,
  updatesEvent,
} from './steps.mjs';

after(closeAll);

let admin;
let moderator;
let alice;
let bob;
let event;

before(async () => {
  ({ admin, moderator } = await moderationTeam());
  alice = await joins('alice');
  await reachesPrivilege(moderator, alice, 'canOrganizeEvents');
  bob = await signUp('bob');
});

test('alice submits her event: it is pending, and bob does not see it yet', async () => {
  event = await organises(alice, { capacity: 20 });
  const pending = await approvalReaches(alice, event, 'pending');
  assert.ok(pending.approval.submittedAt, 'alice reads when she submitted it');
  assert.equal(await readsEvent(bob, event), null, 'a pending event is not public');
});

test('hostile: alice approves her own event, by callable or by writing the approval', async () => {
  await refused(decides(alice, event, 'approve'), 'permission-denied');
  await refused(
    updateDoc(doc(alice.db, event.path), {
      approval: { state: 'approved', submittedAt: serverTimestamp() },
      updatedAt: serverTimestamp(),
    }),
  );
});

test('hostile: a moderator cannot decide on an event they organise', async () => {
  await reachesPrivilege(admin, moderator, 'canOrganizeEvents');
  const own = await organises(moderator);
  await approvalReaches(moderator, own, 'pending');
  await refused(decides(moderator, own, 'approve'), 'permission-denied');
});

test('the moderator rejects it with a reason; alice reads both', async () => {
  await refused(decides(moderator, event, 'reject'), 'invalid-argument');
  await decides(moderator, event, 'reject', 'Please say which lamps you can repair.');
  const rejected = await approvalReaches(alice, event, 'rejected');
  assert.equal(rejected.approval.note, 'Please say which lamps you can repair.');
  assert.equal(await readsEvent(bob, event), null);
});

test('alice edits the description: the event is pending again, then approved', async () => {
  await updatesEvent(alice, event, {
    description: 'Bring a broken lamp or toaster; we fix them together on video.',
  });
  await approvalReaches(alice, event, 'pending');
  await decides(moderator, event, 'approve');
  await approvalReaches(alice, event, 'approved');
  const seen = await readsEvent(bob, event);
  assert.equal(seen?.title, 'Online repair café', 'bob reads the approved event');
});

test('hostile: alice moves the approved event to another time and keeps it approved', async () => {
  const current = await readsEvent(alice, event);
  const later = Timestamp.fromMillis(current.startsAt.toMillis() + 60 * 60 * 1000);
  await refused(
    updateDoc(doc(alice.db, event.path), {
      startsAt: later,
      endsAt: Timestamp.fromMillis(later.toMillis() + 2 * 60 * 60 * 1000),
      updatedAt: serverTimestamp(),
    }),
  );
});

test('hostile: a "withdrawal" that keeps it approved, or sets another state, is refused', async () => {
  const current = await readsEvent(alice, event);
  const later = Timestamp.fromMillis(current.startsAt.toMillis() + 60 * 60 * 1000);
  const moved = {
    startsAt: later,
    endsAt: Timestamp.fromMillis(later.toMillis() + 2 * 60 * 60 * 1000),
    updatedAt: serverTimestamp(),
  };
  // A withdrawal stamped at an earlier time than the write's (the first submission's).
  const earlier = current.approval.submittedAt;
  for (const approval of [
    { state: 'approved', submittedAt: serverTimestamp() },
    { state: 'approved', submittedAt: current.approval.submittedAt, decidedAt: serverTimestamp() },
    { state: 'notSubmitted' },
    { state: 'rejected', submittedAt: serverTimestamp(), decidedAt: serverTimestamp(), note: 'x' },
    { state: 'pending', submittedAt: earlier },
    { state: 'pending', submittedAt: serverTimestamp(), note: 'moved' },
  ]) {
    await refused(updateDoc(doc(alice.db, event.path), { ...moved, approval }));
  }
  // The library's typed update sends nothing but the one withdrawal.
  assert.throws(
    () =>
      communityEventsUpdate(writeBatch(alice.db), communityEvents.doc(alice.db, event.id), {
        ...moved,
        approval: { state: 'approved', submittedAt: serverTimestamp() },
      }),
    TypeError,
  );
  assert.equal((await readsEvent(bob, event))?.approval.state, 'approved', 'still published');
});

test('hostile: bob, who organises nothing of it, cannot move the event', async () => {
  const current = await readsEvent(bob, event);
  const earlier = Timestamp.fromMillis(current.startsAt.toMillis() - 10 * 60 * 1000);
  await refused(
    updateDoc(doc(bob.db, event.path), {
      startsAt: earlier,
      approval: { state: 'pending', submittedAt: serverTimestamp() },
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(movesEvent(bob, event, { startsAt: earlier, joinUrl: 'https://evil.example/x' }));
  const after = await readsEvent(bob, event);
  assert.equal(after.startsAt.toMillis(), current.startsAt.toMillis());
  assert.equal(after.approval.state, 'approved');
});

test('alice moves it an hour later, to a new link: it leaves the feed until approved again', async () => {
  const feed = upcomingFeed(bob);
  await until(feed, (found) => found.docs.some((d) => d.id === event.id), {
    what: 'the approved event in bob\'s upcoming feed',
  });
  const current = await readsEvent(alice, event);
  const later = Timestamp.fromMillis(current.startsAt.toMillis() + 60 * 60 * 1000);
  await movesEvent(alice, event, {
    startsAt: later,
    endsAt: Timestamp.fromMillis(later.toMillis() + 2 * 60 * 60 * 1000),
    joinUrl: 'https://meet.jit.si/mitche-repair-cafe-later',
  });
  const moved = await readsEvent(alice, event);
  assert.equal(moved.approval.state, 'pending', 'the move withdrew the approval in its write');
  assert.equal(moved.startsAt.toMillis(), later.toMillis());
  const access = await getDoc(communityEventsPrivateAccess.doc(alice.db, event.id));
  assert.equal(access.data().joinUrl, 'https://meet.jit.si/mitche-repair-cafe-later');
  assert.equal(await readsEvent(bob, event), null, 'the moved event is not public');
  const ids = (await getDocs(feed)).docs.map((d) => d.id);
  assert.ok(!ids.includes(event.id), 'the moved event left the upcoming feed at once');
  await decides(moderator, event, 'approve');
  await approvalReaches(alice, event, 'approved');
  await until(feed, (found) => found.docs.some((d) => d.id === event.id), {
    what: 'the re-approved event back in bob\'s upcoming feed',
  });
  const seen = await readsEvent(bob, event);
  assert.equal(seen.startsAt.toMillis(), later.toMillis(), 'bob reads the new time');
});

test('raising the capacity of the approved event needs no new approval', async () => {
  await updatesEvent(alice, event, { capacity: 30 });
  const seen = await readsEvent(bob, event);
  assert.equal(seen.capacity, 30);
  assert.equal(seen.approval.state, 'approved');
});
