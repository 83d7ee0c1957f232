// Journey: hana and ivo met in a conversation and both agree to reveal who they are: each then
// reads the other's identity; each sees the other's request waiting until answered. jay
// withdraws before kim answers: kim's waiting request goes, and nothing is revealed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { serverTimestamp, writeBatch } from 'firebase/firestore';

import {
  readIdentity,
  setIdentity,
  usersRevealConsents,
  usersRevealConsentsUpdate,
} from '@mitche/client';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { consentsToReveal, profileReaches, says, startsConversation } from './steps.mjs';

after(closeAll);

/** `a` opens a dm with `b`: where they meet. */
function meet(a, b) {
  return startsConversation(a, [b]);
}

// A member gives their identity through set_identity: the backend seals it at rest.
function writesIdentity(member, legalName) {
  return setIdentity(member.client, { legalName });
}

/** `member` consents to reveal to `counterpart`, citing where they met (`context`): the
 * conversation the counterpart opened, or a message the counterpart sent. */
function consents(member, counterpart, context) {
  return consentsToReveal(member, counterpart, context);
}

/** `member` withdraws their consent to `counterpart` (the library's typed update). */
function withdraws(member, counterpart) {
  const batch = writeBatch(member.db);
  usersRevealConsentsUpdate(batch, usersRevealConsents.doc(member.db, member.uid, counterpart.uid), {
    status: 'withdrawn',
    updatedAt: serverTimestamp(),
  });
  return batch.commit();
}

// Reading an identity goes through read_identity, which opens it for its audience only.
function identityOf(reader, member) {
  return readIdentity(reader.client, { uid: member.uid });
}

test('a mutual reveal: both consent, each reads the other\'s identity', async () => {
  const hana = await joins('hana');
  const ivo = await joins('ivo');
  await writesIdentity(hana, 'Hana Novak');
  await writesIdentity(ivo, 'Ivo Petrov');
  const conversation = await meet(hana, ivo);
  const reply = await says(ivo, conversation, 'Nice to meet you, Hana.');
  await consents(hana, ivo, reply);
  await profileReaches(ivo, (me) => me.reveal?.pendingIncoming === 1, 'ivo\'s reveal request');
  await refused(identityOf(ivo, hana));
  await consents(ivo, hana, conversation);
  await settled();
  await profileReaches(ivo, (me) => me.reveal?.pendingIncoming === 0, 'ivo\'s request answered');
  assert.equal((await identityOf(ivo, hana)).legalName, 'Hana Novak');
  assert.equal((await identityOf(hana, ivo)).legalName, 'Ivo Petrov');
  await profileReaches(hana, (me) => me.reveal?.completed === 1, 'hana\'s reveal summary');
  await refused(withdraws(hana, ivo));
});

test('a revoked reveal: jay withdraws before kim answers, nothing is revealed', async () => {
  const jay = await joins('jay');
  const kim = await joins('kim');
  await writesIdentity(jay, 'Jay Larsen');
  await writesIdentity(kim, 'Kim Ito');
  const conversation = await meet(jay, kim);
  const reply = await says(kim, conversation, 'Hello Jay.');
  await consents(jay, kim, reply);
  await profileReaches(kim, (me) => me.reveal?.pendingIncoming === 1, 'kim\'s reveal request');
  await withdraws(jay, kim);
  await profileReaches(kim, (me) => me.reveal?.pendingIncoming === 0, 'kim\'s request withdrawn');
  await consents(kim, jay, conversation);
  await settled();
  await refused(identityOf(kim, jay));
  await refused(identityOf(jay, kim));
});
