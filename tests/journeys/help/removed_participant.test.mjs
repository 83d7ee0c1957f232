// Journey: lea runs the conversation about her request with two helpers; she removes nils;
// nils keeps what was said while he was in, and reads nothing said after.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { deleteField, doc, getDoc, serverTimestamp, writeBatch } from 'firebase/firestore';

import { conversationsUpdate } from '@mitche/client';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { messagesOf, postsRequest, says, startsConversation } from './steps.mjs';

after(closeAll);

test('a removed participant reads nothing sent after the removal', async () => {
  const lea = await joins('lea');
  const max = await joins('max');
  const nils = await joins('nils');
  const request = await postsRequest(lea);
  const conversation = await startsConversation(lea, [max, nils], {
    conversationType: 'request',
    title: 'Groceries',
    context: request,
  });
  await says(max, conversation, 'I can go on Monday.');
  const removal = writeBatch(lea.db);
  conversationsUpdate(removal, conversation, {
    participantIds: [lea.uid, max.uid],
    [`participantState.${nils.uid}`]: deleteField(),
    updatedAt: serverTimestamp(),
  });
  await removal.commit();
  const later = await says(lea, conversation, 'The door code is 4321.');
  await settled();

  assert.deepEqual(await messagesOf(nils, conversation), ['I can go on Monday.']);
  await refused(getDoc(doc(nils.db, later.path)));
  await refused(getDoc(doc(nils.db, conversation.path)));
  await refused(says(nils, conversation, 'Wait, I am still here'));
  assert.deepEqual(await messagesOf(lea, conversation), [
    'The door code is 4321.',
    'I can go on Monday.',
  ]);
});
