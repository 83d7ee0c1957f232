// Story: carol asked for help and talked with dan; then she deletes her account. Everything
// that was hers goes, what dan depends on stays without her (his conversation reads on, her
// messages under a tombstone), and the operator's scan finds nothing of her anywhere.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { initializeApp } from 'firebase/app';
import { getDoc } from 'firebase/firestore';
import { connectFunctionsEmulator, getFunctions, httpsCallable } from 'firebase/functions';

import { deleteAccount } from '@mitche/client';

import { closeAll, operator, refused, settled, stack } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { accepts, conversationOf, messagesOf, offersHelp, postsRequest, says } from '../help/steps.mjs';

let carol;
let dan;
let conversation;

before(async () => {
  carol = await joins('carol');
  dan = await joins('dan');
  const request = await postsRequest(carol, { title: 'A lift to the hospital on Friday' });
  await settled();
  const offering = await offersHelp(dan, request, carol.uid);
  await settled();
  await accepts(carol, offering);
  conversation = await conversationOf(dan, offering);
  await says(carol, conversation, 'Thank you Dan, see you Friday');
  await says(dan, conversation, 'See you then!');
  await settled();
});

after(closeAll);

test('hostile: dan cannot delete carol\'s account by naming her', async () => {
  await refused(dan.call('delete_account', { uid: carol.uid }), 'invalid-argument');
});

test('hostile: a visitor who is not signed in cannot delete anything', async () => {
  const app = initializeApp({ projectId: stack.project, apiKey: 'journeys-api-key' }, 'visitor-erasure');
  const functions = getFunctions(app, stack.region);
  const url = new URL(stack.functions);
  connectFunctionsEmulator(functions, url.hostname, Number(url.port));
  await refused(httpsCallable(functions, 'delete_account')({}), 'unauthenticated');
});

test('carol, just signed in, deletes her account', async () => {
  const started = await deleteAccount(carol.client, {});
  assert.equal(started.phase, 'disable');
  await settled();
});

test('the scan finds nothing of carol: no uid, email or alias in any document or file', async () => {
  const scan = await operator(
    'scan-member',
    '--uid', carol.uid,
    '--email', carol.email,
    '--alias', carol.alias,
    '--bucket', `${stack.project}.appspot.com`,
  );
  assert.deepEqual(scan.findings, []);
  assert.equal(scan.clean, true);
});

test('dan\'s conversation still reads: carol\'s message under a tombstone, his own as it was', async () => {
  const found = (await getDoc(conversation)).data();
  assert.equal(found.participantIds.length, 2);
  assert.ok(found.participantIds.includes(dan.uid));
  assert.ok(!found.participantIds.includes(carol.uid));
  const tombstone = found.participantIds.find((id) => id !== dan.uid);
  assert.match(tombstone, /^erased-/);
  const texts = await messagesOf(dan, conversation);
  assert.deepEqual(texts.sort(), ['See you then!', 'Thank you Dan, see you Friday']);
});
