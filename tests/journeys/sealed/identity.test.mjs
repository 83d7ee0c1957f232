// Journey: eve gives her identity (legal name, phone, exact home) to the backend, which seals
// it at rest: nobody reads the stored document, not even eve; she reads it back through
// read_identity, a stranger is refused, and so is an unverified account giving one.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, getDoc, setDoc, serverTimestamp } from 'firebase/firestore';

import { readIdentity, setIdentity } from '@mitche/client';

import { closeAll, refused, signUp } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';

after(closeAll);

test('eve gives her identity and reads it back; the stored document is closed to clients', async () => {
  const eve = await joins('eve');
  const answer = await setIdentity(eve.client, {
    legalName: 'Eve Moreau',
    phone: '+33612345678',
    homeLatitude: 45.7578,
    homeLongitude: 4.832,
    homeAddress: '12 rue de la République, Lyon',
  });
  assert.equal(answer.deleted, false);
  const mine = await readIdentity(eve.client, { uid: eve.uid });
  assert.equal(mine.legalName, 'Eve Moreau');
  assert.equal(mine.phone, '+33612345678');
  assert.equal(mine.homeAddress, '12 rue de la République, Lyon');
  assert.equal(mine.homeGeohash.length, 9);
  await refused(getDoc(doc(eve.db, 'users', eve.uid, 'private', 'identity')));
  await refused(getDoc(doc(eve.db, 'users', eve.uid, 'private', 'dataKey')));
});

test('hostile: a stranger reads eve\'s identity; eve writes the document herself', async () => {
  const eve = await joins('eve');
  const fay = await joins('fay');
  await setIdentity(eve.client, { legalName: 'Eve Moreau' });
  await refused(fay.call('read_identity', { uid: eve.uid }));
  await refused(
    setDoc(doc(eve.db, 'users', eve.uid, 'private', 'identity'), {
      legalName: 'Eve Moreau',
      updatedAt: serverTimestamp(),
    }),
  );
});

test('bad input is refused with a clear error, and an unverified account gives no identity', async () => {
  const gil = await joins('gil');
  await refused(gil.call('set_identity', { phone: '06 12 34 56 78' }), 'invalid-argument');
  await refused(gil.call('set_identity', { homeLatitude: 45.75 }), 'invalid-argument');
  const hal = await signUp('hal', { verified: false });
  await refused(hal.call('set_identity', { legalName: 'Hal' }));
});

test('sending no field deletes the identity', async () => {
  const ida = await joins('ida');
  await setIdentity(ida.client, { legalName: 'Ida Lambert' });
  assert.equal((await setIdentity(ida.client, {})).deleted, true);
  await refused(readIdentity(ida.client, { uid: ida.uid }), 'not-found');
});
