// What every Mitché member does first, in the words of the journeys: join (write one's own
// profile document) and read one's own points. Steps of particular flows live beside their
// journeys; only steps several journeys share belong here.
import { doc, getDoc, serverTimestamp, setDoc } from 'firebase/firestore';

import { signUp } from './index.mjs';

/**
 * A new member who signed up and wrote their profile: `users/{uid}` with an alias and a
 * display name, as the app's onboarding screen does. `profile` adds or overrides profile fields.
 */
export async function joins(name, { profile = {}, verified = true } = {}) {
  const member = await signUp(name, { verified });
  await setDoc(doc(member.db, 'users', member.uid), {
    profile: {
      displayName: name[0].toUpperCase() + name.slice(1),
      anonymousAlias: `${name}-${member.uid.slice(0, 6)}`,
      ...profile,
    },
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
  return member;
}

/** The member's own user document, as they read it. */
export async function myProfile(member) {
  const snapshot = await getDoc(doc(member.db, 'users', member.uid));
  return snapshot.data();
}

/** The member's hope points total, as they read it on their profile. */
export async function hopePoints(member) {
  const me = await myProfile(member);
  return me?.gamification?.hopePoints?.total ?? 0;
}
