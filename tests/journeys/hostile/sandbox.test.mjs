// Hostile journey: new accounts earn trust (issue 21, hole 17). An account whose email is not
// verified reads but writes nothing; nobody passes for the platform's staff by name or alias.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, serverTimestamp, setDoc } from 'firebase/firestore';

import { joinCommunity } from '@mitche/client';

import { closeAll, refused, signUp, verifyEmail } from '../harness/index.mjs';
import { changesAlias, joins, myProfile } from '../harness/mitche.mjs';
import { editsProfile } from './steps.mjs';

after(closeAll);

/** The member's first profile, in the batch that claims its alias (the library's
 * `joinCommunity`, as the onboarding screen sends it). */
function profileOf(member, profile) {
  return joinCommunity(member.client, { profile });
}

/** A first profile without the claim of its alias (hostile twin: the library always claims). */
function unclaimedProfileOf(member, profile) {
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
  await refused(changesAlias(mallory, 'mitche_admin'));
  await refused(changesAlias(mallory, 'Support Staff 1'));
  await refused(changesAlias(mallory, 'Mödërätör'));
  const fresh = await signUp('impostor');
  await refused(profileOf(fresh, { displayName: 'Admin', anonymousAlias: 'Calm Owl 01' }));
  await editsProfile(mallory, { 'profile.displayName': 'Steam Punk' });
  assert.equal((await myProfile(mallory)).profile.displayName, 'Steam Punk');
});

test('mallory cannot take the moderator\'s alias in any case or accents while he holds it', async () => {
  const mod = await joins('mod', { profile: { anonymousAlias: 'Calm Owl' } });
  const mallory = await joins('mallory');
  await refused(editsProfile(mallory, { 'profile.anonymousAlias': 'Calm Owl' }));
  await refused(changesAlias(mallory, 'calm owl'));
  await refused(changesAlias(mallory, 'CÀLM-ÖWL'));
  const fresh = await signUp('impostor');
  await refused(profileOf(fresh, { displayName: 'Owl', anonymousAlias: 'Càlm Owl' }));
  await refused(unclaimedProfileOf(fresh, { displayName: 'Owl', anonymousAlias: 'Lone Owl' }));
  await changesAlias(mod, 'Quiet Fox');
  await changesAlias(mallory, 'Calm Owl');
  assert.equal((await myProfile(mallory)).profile.anonymousAlias, 'Calm Owl');
  await refused(profileOf(fresh, { displayName: 'Fox', anonymousAlias: 'quiet fox' }));
  // A change of case and accents only keeps the claim (changeAlias neither re-creates nor
  // releases it): the alias is still mallory's alone.
  await changesAlias(mallory, 'càlm-owl');
  assert.equal((await myProfile(mallory)).profile.anonymousAlias, 'càlm-owl');
  await refused(profileOf(fresh, { displayName: 'Owl', anonymousAlias: 'Calm Owl' }));
});
