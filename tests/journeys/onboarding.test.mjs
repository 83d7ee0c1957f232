// Journey: a new member joins Mitché, from an empty database.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, serverTimestamp, setDoc, updateDoc } from 'firebase/firestore';

import { closeAll, makeAdmin, makeModerator, refused, settled } from './harness/index.mjs';
import { joins, myProfile } from './harness/mitche.mjs';

after(closeAll);

test('alice signs up, verifies her email and writes her profile; she reads it back', async () => {
  const alice = await joins('alice', { profile: { languages: ['fr', 'en'] } });
  await settled();
  const me = await myProfile(alice);
  assert.equal(me.profile.displayName, 'Alice');
  assert.deepEqual(me.profile.languages, ['fr', 'en']);
});

test('mallory cannot write alice\'s profile, nor give herself points or a role', async () => {
  const alice = await joins('alice');
  const mallory = await joins('mallory');
  await refused(
    setDoc(doc(mallory.db, 'users', alice.uid), {
      profile: { displayName: 'Alice', anonymousAlias: 'hijacked' },
      createdAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(
    updateDoc(doc(mallory.db, 'users', mallory.uid), {
      'gamification.hopePoints.total': 10000,
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(
    updateDoc(doc(mallory.db, 'users', mallory.uid), {
      'security.role': 'admin',
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(mallory.call('set_member_role', { uid: mallory.uid, role: 'admin' }));
});

test('the operator makes ada the first admin; ada names mod a moderator', async () => {
  const ada = await joins('ada');
  const mod = await joins('mod');
  await makeAdmin(ada);
  await makeModerator(ada, mod);
  const modProfile = await myProfile(mod);
  assert.ok(modProfile, 'mod still reads his own profile as a moderator');
});
