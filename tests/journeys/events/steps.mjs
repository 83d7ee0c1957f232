// Steps of community events in the members' words: organising, submitting, deciding, asking
// for a place, cancelling, inviting co-organisers, checking in. Each is the write the Mitché app
// makes through the client library (`@mitche/client`: its flows, typed updates, catalog queries
// and callables; schema/flows.md), through firestore.rules; the server's part is awaited on the
// documents the member reads, never on time. `registersByHand` is the hostile twins' raw write.
import assert from 'node:assert/strict';

import { Timestamp, doc, getDoc, getDocs, serverTimestamp, writeBatch } from 'firebase/firestore';

import {
  acceptCoOrganizerInvitation,
  cancelRegistration,
  communityEvents,
  communityEventsPrivateAccess,
  communityEventsRegistrations,
  communityEventsUpdate,
  decideEvent,
  eventsAttendees,
  eventsUpcoming,
  notificationsMine,
  moveEvent,
  organiseEvent,
  registerForEvent,
} from '@mitche/client';

import { makeAdmin, makeModerator, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';

const FAR_FUTURE = Timestamp.fromMillis(Date.UTC(2100, 0, 1));
const MINUTE = 60 * 1000;

/** The platform's moderation team for a journey: an admin (made by the operator) and a
 * moderator (named by the admin through set_member_role). */
export async function moderationTeam() {
  const admin = await joins('ada');
  await makeAdmin(admin);
  const moderator = await joins('mona');
  await makeModerator(admin, moderator);
  return { admin, moderator };
}

/**
 * `organiser` creates an online event as a draft, then schedules it (submits it for approval)
 * to start `startsInMinutes` after the server's time of creation, with its join link in the
 * private access document. Resolves to the event's reference.
 */
export async function organises(organiser, { capacity, startsInMinutes = 30, ...fields } = {}) {
  const { eventId } = await organiseEvent(organiser.client, {
    title: 'Online repair café',
    description: 'Bring a broken lamp; we fix it together on video.',
    category: 'skillShare',
    startsAt: FAR_FUTURE,
    endsAt: Timestamp.fromMillis(FAR_FUTURE.toMillis() + 120 * MINUTE),
    timeZone: 'Europe/Paris',
    format: 'virtual',
    virtualPlatform: 'jitsi',
    visibility: 'community',
    joinUrl: 'https://meet.jit.si/mitche-repair-cafe',
    ...(capacity === undefined ? {} : { capacity }),
    ...fields,
  });
  const ref = communityEvents.doc(organiser.db, eventId);
  // The server's clock, as the organiser's app reads it back: the start is set from it.
  const created = (await getDoc(ref)).data().createdAt.toMillis();
  const startsAt = Timestamp.fromMillis(created + startsInMinutes * MINUTE);
  await updatesEvent(organiser, ref, {
    startsAt,
    endsAt: Timestamp.fromMillis(startsAt.toMillis() + 120 * MINUTE),
    status: 'scheduled',
  });
  return ref;
}

/** An organiser changes their event (the library's typed update, stamped now). */
export function updatesEvent(organiser, ref, changes) {
  const batch = writeBatch(organiser.db);
  communityEventsUpdate(batch, communityEvents.doc(organiser.db, ref.id), {
    ...changes,
    updatedAt: serverTimestamp(),
  });
  return batch.commit();
}

/** An organiser moves their approved event to another time or place with the library's
 * `moveEvent`: the changes and the approval withdrawn, in one batch. */
export function movesEvent(organiser, ref, changes) {
  return moveEvent(organiser.client, { eventId: ref.id, ...changes });
}

/** The upcoming published events `member` reads (the library's `events.upcoming` feed). */
export function upcomingFeed(member) {
  return eventsUpcoming(member.client, { now: new Date(), limit: 100 });
}

/** The event as `member` reads it (null when the rules let them see nothing). */
export async function readsEvent(member, ref) {
  try {
    const snapshot = await getDoc(doc(member.db, ref.path));
    return snapshot.exists() ? snapshot.data() : null;
  } catch (error) {
    if (String(error.code).endsWith('permission-denied')) return null;
    throw error;
  }
}

/** Wait until `member` reads the event's approval in `state`; resolves to the event. */
export async function approvalReaches(member, ref, state) {
  const snapshot = await until(
    doc(member.db, ref.path),
    (found) => found.data()?.approval?.state === state,
    { what: `approval ${state} of ${ref.path}` },
  );
  return snapshot.data();
}

/** A moderator's decision through the decide_event callable (the library's `decideEvent`). */
export function decides(moderator, ref, decision, note) {
  return decideEvent(moderator.client, {
    eventId: ref.id,
    decision,
    ...(note ? { note } : {}),
  });
}

/** The organiser submits, the moderator approves; resolves when the organiser reads it. */
export async function approvedEvent(organiser, moderator, options = {}) {
  const ref = await organises(organiser, options);
  await approvalReaches(organiser, ref, 'pending');
  await decides(moderator, ref, 'approve');
  await approvalReaches(organiser, ref, 'approved');
  return ref;
}

/** The registration document of `member` for the event. */
export function registrationOf(member, ref) {
  return communityEventsRegistrations.doc(member.db, ref.id, member.uid);
}

/** `member` asks for a place (with `guests`), with the library's `registerForEvent`: the
 * registration `pending`, asked now, with the registration stamp. */
export function registers(member, ref, { guests = 0 } = {}) {
  return registerForEvent(member.client, { eventId: ref.id, guests });
}

/** A registration written by hand with `fields` overriding the honest ones (hostile twins:
 * what the library would never send), in one batch with the registration stamp. */
export function registersByHand(member, ref, fields) {
  const registration = doc(member.db, ref.path, 'registrations', member.uid);
  const batch = writeBatch(member.db);
  batch.set(
    doc(member.db, 'users', member.uid, 'private', 'account'),
    { lastRegistration: { at: serverTimestamp(), path: registration.path } },
    { merge: true },
  );
  batch.set(registration, {
    userId: member.uid,
    status: 'pending',
    requestedAt: serverTimestamp(),
    guests: 0,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...fields,
  });
  return batch.commit();
}

/** Wait until the function placed `member`'s registration; resolves to it. */
export async function placeOf(member, ref) {
  const snapshot = await until(
    registrationOf(member, ref),
    (found) => ['registered', 'waitlisted', 'cancelled'].includes(found.data()?.status),
    { what: `${member.name}'s place at ${ref.path}` },
  );
  return snapshot.data();
}

/** `member` cancels their registration. */
export function cancels(member, ref) {
  return cancelRegistration(member.client, { eventId: ref.id });
}

/** The event's join link, as `member` reads it. */
export async function joinLink(member, ref) {
  const snapshot = await getDoc(communityEventsPrivateAccess.doc(member.db, ref.id));
  return snapshot.data().joinUrl;
}

/** Every registration of the event, as an organiser lists it: the attendee list of each
 * status (`events.attendees`). */
export async function registrationsAsOrganiser(organiser, ref) {
  const statuses = ['pending', 'registered', 'waitlisted', 'cancelled'];
  const lists = await Promise.all(
    statuses.map((status) =>
      getDocs(eventsAttendees(organiser.client, { eventId: ref.id, status })),
    ),
  );
  return lists.flatMap((list) => list.docs.map((found) => ({ id: found.id, ...found.data() })));
}

/** The counts the registrations add up to (what the event's `registrations` must say). */
export function recount(registrations) {
  const counts = { registered: 0, waitlisted: 0, cancelled: 0, attended: 0 };
  for (const registration of registrations) {
    if (registration.status === 'registered') {
      counts.registered += 1 + (registration.guests ?? 0);
      if (registration.attendance === 'attended') counts.attended += 1;
    }
    if (registration.status === 'waitlisted') counts.waitlisted += 1;
    if (registration.status === 'cancelled') counts.cancelled += 1;
  }
  return counts;
}

/** Once the functions are idle, the event's counts equal a recount of its registrations;
 * resolves to the recount and the registrations, as the organiser lists them. */
export async function countsMatchRegistrations(organiser, ref) {
  await settled();
  const counts = (await getDoc(communityEvents.doc(organiser.db, ref.id))).data().registrations ?? {};
  const registrations = await registrationsAsOrganiser(organiser, ref);
  const expected = recount(registrations);
  assert.deepEqual(
    {
      registered: counts.registered ?? 0,
      waitlisted: counts.waitlisted ?? 0,
      cancelled: counts.cancelled ?? 0,
      attended: counts.attended ?? 0,
    },
    expected,
    'the event counts exactly its registrations',
  );
  return { counts: expected, registrations };
}

/** `member`'s notifications of `kind`, as they read their list (`notifications.mine`). */
export async function notificationsOf(member, kind) {
  const snapshot = await getDocs(notificationsMine(member.client, { limit: 50 }));
  return snapshot.docs.map((found) => found.data()).filter((found) => found.kind === kind);
}

/** The organiser invites `invitee` to co-organise. */
export function invitesCoOrganiser(organiser, ref, invitee) {
  return updatesEvent(organiser, ref, { coOrganizerInvites: [invitee.uid] });
}

/** The invitee accepts: their uid moves from the invitations to the co-organisers (the
 * library's `acceptCoOrganizerInvitation`, from the event as they read it). */
export async function acceptsInvitation(invitee, ref) {
  const event = (await getDoc(communityEvents.doc(invitee.db, ref.id))).data();
  await acceptCoOrganizerInvitation(invitee.client, {
    eventId: ref.id,
    coOrganizerInvites: event.coOrganizerInvites.filter((uid) => uid !== invitee.uid),
    coOrganizerIds: [...(event.coOrganizerIds ?? []), invitee.uid],
  });
}
