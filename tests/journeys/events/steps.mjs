// Steps of community events in the members' words: organising, submitting, deciding, asking
// for a place, cancelling, inviting co-organisers, checking in. Each is the write the Mitché app
// makes (schema/flows.md), through firestore.rules; the server's part is awaited on the
// documents the member reads, never on time.
import assert from 'node:assert/strict';

import {
  Timestamp,
  collection,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  updateDoc,
  where,
  writeBatch,
} from 'firebase/firestore';

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
  const ref = doc(collection(organiser.db, 'communityEvents'));
  const batch = stampedBatch(organiser, 'lastEvent', ref);
  batch.set(ref, {
    organizerId: organiser.uid,
    title: 'Online repair café',
    description: 'Bring a broken lamp; we fix it together on video.',
    category: 'skillShare',
    startsAt: FAR_FUTURE,
    endsAt: Timestamp.fromMillis(FAR_FUTURE.toMillis() + 120 * MINUTE),
    timeZone: 'Europe/Paris',
    format: 'virtual',
    virtualPlatform: 'jitsi',
    visibility: 'community',
    status: 'draft',
    ...(capacity === undefined ? {} : { capacity }),
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...fields,
  });
  await batch.commit();
  await setDoc(doc(organiser.db, ref.path, 'private', 'access'), {
    joinUrl: 'https://meet.jit.si/mitche-repair-cafe',
    updatedAt: serverTimestamp(),
  });
  // The server's clock, as the organiser's app reads it back: the start is set from it.
  const created = (await getDoc(ref)).data().createdAt.toMillis();
  const startsAt = Timestamp.fromMillis(created + startsInMinutes * MINUTE);
  await updateDoc(ref, {
    startsAt,
    endsAt: Timestamp.fromMillis(startsAt.toMillis() + 120 * MINUTE),
    status: 'scheduled',
    updatedAt: serverTimestamp(),
  });
  return ref;
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

/** A moderator's decision through the decide_event callable. */
export function decides(moderator, ref, decision, note) {
  return moderator.call('decide_event', {
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
  return doc(member.db, ref.path, 'registrations', member.uid);
}

/** The batch a rate-limited creation goes in: the author's stamp naming the document. */
export function stampedBatch(member, stamp, ref) {
  const batch = writeBatch(member.db);
  batch.set(
    doc(member.db, 'users', member.uid, 'private', 'account'),
    { [stamp]: { at: serverTimestamp(), path: ref.path } },
    { merge: true },
  );
  return batch;
}

/** `member` asks for a place (with `guests`), as the app writes it: the registration
 * `pending`, asked now, with the registration stamp. `fields` override (hostile twins). */
export function registers(member, ref, { guests = 0, ...fields } = {}) {
  const registration = registrationOf(member, ref);
  const batch = stampedBatch(member, 'lastRegistration', registration);
  batch.set(registration, {
    userId: member.uid,
    status: 'pending',
    requestedAt: serverTimestamp(),
    guests,
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
  return updateDoc(registrationOf(member, ref), {
    status: 'cancelled',
    updatedAt: serverTimestamp(),
  });
}

/** The event's join link, as `member` reads it. */
export async function joinLink(member, ref) {
  const snapshot = await getDoc(doc(member.db, ref.path, 'private', 'access'));
  return snapshot.data().joinUrl;
}

/** Every registration of the event, as an organiser lists it. */
export async function registrationsAsOrganiser(organiser, ref) {
  const snapshot = await getDocs(collection(organiser.db, ref.path, 'registrations'));
  return snapshot.docs.map((found) => ({ id: found.id, ...found.data() }));
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
  const counts = (await getDoc(doc(organiser.db, ref.path))).data().registrations ?? {};
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

/** `member`'s notifications of `kind`, as they read their list. */
export async function notificationsOf(member, kind) {
  const snapshot = await getDocs(
    query(collection(member.db, 'users', member.uid, 'notifications'), where('kind', '==', kind)),
  );
  return snapshot.docs.map((found) => found.data());
}

/** The organiser invites `invitee` to co-organise. */
export function invitesCoOrganiser(organiser, ref, invitee) {
  return updateDoc(doc(organiser.db, ref.path), {
    coOrganizerInvites: [invitee.uid],
    updatedAt: serverTimestamp(),
  });
}

/** The invitee accepts: their uid moves from the invitations to the co-organisers. */
export async function acceptsInvitation(invitee, ref) {
  const event = (await getDoc(doc(invitee.db, ref.path))).data();
  const batch = writeBatch(invitee.db);
  batch.update(doc(invitee.db, ref.path), {
    coOrganizerInvites: event.coOrganizerInvites.filter((uid) => uid !== invitee.uid),
    coOrganizerIds: [...(event.coOrganizerIds ?? []), invitee.uid],
    updatedAt: serverTimestamp(),
  });
  await batch.commit();
}
