// Hostile journey: new accounts earn trust (issue 21, hole 17). An account whose email is not
// verified reads but writes nothing; nobody passes for the platform's staff by name or alias.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, serverTimestamp, setDoc } from 'firebase/firestore';

import { closeAll, refused, signUp, verifyEmail } from '../harness/index.mjs';
import { joins, myProfile } from '../harness/mitche.mjs';
import { editsProfile } from './steps.mjs';

after(closeAll);

function profileOf(member, profile) {
  return setDoc(doc(member.db, 'users', member.uid), {
    profile,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

test('a sock puppet without a verified email writes nothing; once verified, it may', async () => {
  const puppet = await signUp('puppet', { verified: false });
  const profile = { displayName: 'Puppet', anonymousAlias: `puppet-${puppet.uid.slice(0, 6)}` };
  await refused(profileOf(puppet, profile));
  await verifyEmail(puppet);
  await profileOf(puppet, profile);
  assert.equal((await myProfile(puppet)).profile.displayName, 'Puppet');
});

test('mallory cannot call herself the Moderation Team nor take an admin alias', async () => {
  const mallory = await joins('mallory');
  await refused(editsProfile(mallory, { 'profile.displayName': 'Moderation Team' }));
  await refused(editsProfile(mallory, { 'profile.anonymousAlias': 'mitche_admin' }));
  await refused(editsProfile(mallory, { 'profile.anonymousAlias': 'Support Staff 1' }));
  const fresh = await signUp('impostor');
  await refused(profileOf(fresh, { displayName: 'Admin', anonymousAlias: 'Calm Owl 01' }));
  await editsProfile(mallory, { 'profile.displayName': 'Steam Punk' });
  assert.equal((await myProfile(mallory)).profile.displayName, 'Steam Punk');
});
