// What every Mitché member does first, in the words of the journeys: join (write one's own
// profile document), read one's own points, and reach a level's privilege. Steps of particular flows live beside their
// journeys; only steps several journeys share belong here.
import { getDoc, serverTimestamp, writeBatch } from 'firebase/firestore';

import {
  adjustHopePoints,
  changeAlias,
  joinCommunity,
  users,
  usersPrivateAccount,
  usersUpdate,
} from '@mitche/client';

import { signUp, until } from './index.mjs';

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

/** Hope points that take a new member to the first level of a privilege along the default
 * level curve and benefits table: Sprout (level 3, 283 experience) organises events; Mentor
 * (level 20, 8,282 experience) may offer mentorship. */
export const POINTS_TO = { canOrganizeEvents: 300, mentorshipEligible: 9000 };

/**
 * `staff` (a moderator or an admin) credits `member` the points of good they did that nobody
 * could confirm in the app, through adjust_hope_points with a reason (the ledger, the level);
 * resolves to the privileges the member then reads on their private account, once the member
 * trigger copied those of their new level (`privilege` among them).
 */
export async function reachesPrivilege(staff, member, privilege) {
  await adjustHopePoints(staff.client, {
    uid: member.uid,
    amount: POINTS_TO[privilege],
    category: 'communityBuilder',
    reason: 'Years of volunteering at the neighbourhood centre, vouched for by its team',
    key: `${privilege}-${member.uid}`,
  });
  const snapshot = await until(
    usersPrivateAccount.doc(member.db, member.uid),
    (found) => found.data()?.privileges?.[privilege] === true,
    { what: `${member.name} reads ${privilege} on their account` },
  );
  return snapshot.data().privileges;
}
