// What every Mitché member does first, in the words of the journeys: join (write one's own
// profile document) and read one's own points. Steps of particular flows live beside their
// journeys; only steps several journeys share belong here.
import { getDoc, serverTimestamp, writeBatch } from 'firebase/firestore';

import { changeAlias, joinCommunity, users, usersUpdate } from '@mitche/client';

import { signUp } from './index.mjs';

/**
 * A new member who signed up and wrote their profile: `users/{uid}` with an alias and a
 * display name, in the batch that claims the alias, as the app's onboarding screen does
 * (the library's `joinCommunity`; `member.client` is their library client).
 * `profile` adds or overrides profile fields.
 */
export async function joins(name, { profile = {}, verified = true } = {}) {
  const member = await signUp(name, { verified });
  const full = {
    displayName: name[0].toUpperCase() + name.slice(1),
    anonymousAlias: `${name}-${member.uid.slice(0, 6)}`,
    ...profile,
  };
  await joinCommunity(member.client, { profile: full });
  member.alias = full.anonymousAlias;
  return member;
}

/** The member takes another alias: the library's `changeAlias` updates the profile, claims the
 * new alias and releases the one they held, in one batch. */
export async function changesAlias(member, alias) {
  await changeAlias(member.client, { alias, previousAlias: member.alias });
  member.alias = alias;
}

/** `member` edits fields of their own profile document (dotted paths allowed: one entry of a
 * map), stamped now, with the library's typed update (which refuses server-owned fields
 * before sending). */
export function editsProfile(member, fields) {
  const batch = writeBatch(member.db);
  usersUpdate(batch, users.doc(member.db, member.uid), {
    ...fields,
    updatedAt: serverTimestamp(),
  });
  return batch.commit();
}

/** The member's own user document, as they read it. */
export async function myProfile(member) {
  const snapshot = await getDoc(users.doc(member.db, member.uid));
  return snapshot.data();
}

/** The member's hope points total, as they read it on their profile. */
export async function hopePoints(member) {
  const me = await myProfile(member);
  return me?.gamification?.hopePoints?.total ?? 0;
}
