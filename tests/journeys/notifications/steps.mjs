// Steps of the notification journeys, in the members' words, and the local FCM endpoint's
// record (what the functions pushed, as FCM received it). The members' writes and reads go
// through the client library's typed references, writes and catalog queries.
import { getDoc, getDocs, serverTimestamp, writeBatch } from 'firebase/firestore';

import {
  notificationsMine,
  users,
  usersDevices,
  usersDevicesCreate,
  usersDevicesUpdate,
  usersNotificationInbox,
  usersNotifications,
  usersNotificationsUpdate,
  usersUpdate,
} from '@mitche/client';

import { until } from '../harness/index.mjs';

const fcm = process.env.JOURNEY_FCM_URL;
if (!fcm) throw new Error('JOURNEY_FCM_URL is not set: run the journeys with scripts/test tests/journeys');

/** `member` registers this device's push token, as the app does after getToken(). */
export async function registersDevice(member, deviceId = 'phone') {
  const token = `token-${member.uid}-${deviceId}`;
  const batch = writeBatch(member.db);
  usersDevicesCreate(batch, usersDevices.doc(member.db, member.uid, deviceId), {
    token,
    platform: 'android',
    createdAt: serverTimestamp(),
    lastSeenAt: serverTimestamp(),
  });
  await batch.commit();
  member.token = token;
  return token;
}

/** `member`'s notification list, newest first (the catalog's `notifications.mine`). */
export function notificationsOf(member) {
  return notificationsMine(member.client, { limit: 50 });
}

/** Waits until `member`'s list holds a notification of `kind` about `target`; returns it. */
export async function notified(member, kind, target, { what } = {}) {
  const found = (snapshot) =>
    snapshot.docs.find((entry) => entry.data().kind === kind && entry.data().target.path === target);
  const snapshot = await until(notificationsOf(member), (s) => Boolean(found(s)), {
    what: what ?? `${member.name} to be told ${kind} about ${target}`,
  });
  return found(snapshot);
}

/** The kinds in `member`'s list about `target` (read once, after `settled()`). */
export async function kindsAbout(member, target) {
  const snapshot = await getDocs(notificationsOf(member));
  return snapshot.docs
    .filter((entry) => entry.data().target.path === target)
    .map((entry) => entry.data().kind);
}

/** `member` opens a notification: it is marked read at the time of the write. */
export function opens(member, notification) {
  const batch = writeBatch(member.db);
  usersNotificationsUpdate(batch, usersNotifications.doc(member.db, member.uid, notification.id), {
    readAt: serverTimestamp(),
  });
  return batch.commit();
}

/** `member`'s unread badge, once it equals `count`. */
export function unreadReaches(member, count) {
  return until(
    usersNotificationInbox.doc(member.db, member.uid, 'summary'),
    (snapshot) => snapshot.data()?.unread === count,
    { what: `${member.name}'s unread badge to show ${count}` },
  );
}

/** `member` changes their notification settings (a partial update of `notifications`). */
export function setsNotifications(member, fields) {
  const changes = { updatedAt: serverTimestamp() };
  for (const [name, value] of Object.entries(fields)) changes[`notifications.${name}`] = value;
  const batch = writeBatch(member.db);
  usersUpdate(batch, users.doc(member.db, member.uid), changes);
  return batch.commit();
}

/** The server's current UTC hour, read from a time the server stamped on `member`'s profile. */
export async function serverHour(member) {
  const batch = writeBatch(member.db);
  usersUpdate(batch, users.doc(member.db, member.uid), { updatedAt: serverTimestamp() });
  await batch.commit();
  const stamped = (await getDoc(users.doc(member.db, member.uid))).data().updatedAt;
  return stamped.toDate().getUTCHours();
}

/** Every push the local FCM endpoint received for `token`. */
export async function pushesTo(token) {
  const answer = await fetch(`${fcm}/messages`);
  const { messages } = await answer.json();
  return messages.filter((sent) => sent.message.token === token);
}

/** FCM forgets `token`, as when the app is uninstalled: later sends answer UNREGISTERED. */
export async function uninstallsApp(token) {
  const answer = await fetch(`${fcm}/unregistered`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!answer.ok) throw new Error(`the FCM endpoint refused /unregistered: ${answer.status}`);
}

/** Whether `member` still has the device `deviceId` registered. */
export async function hasDevice(member, deviceId = 'phone') {
  return (await getDoc(usersDevices.doc(member.db, member.uid, deviceId))).exists();
}

/**
 * Resolves once the server's clock (as it stamps `member`'s device refreshes) is past `moment`
 * (a Firestore Timestamp): the member's next throttled write after it is not refused. Waits on
 * what the server writes, never on this process's clock.
 */
export async function serverPasses(member, moment, deviceId = 'phone') {
  const ref = usersDevices.doc(member.db, member.uid, deviceId);
  for (;;) {
    const batch = writeBatch(member.db);
    usersDevicesUpdate(batch, ref, { lastSeenAt: serverTimestamp() });
    await batch.commit();
    const seen = (await getDoc(ref)).data().lastSeenAt;
    if (seen.toMillis() > moment.toMillis()) return;
  }
}
