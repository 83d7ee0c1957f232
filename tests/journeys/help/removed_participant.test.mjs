// Journey: lea runs the conversation about her request with two helpers; she removes nils;
// nils keeps what was said while he was in, and reads nothing said after.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  collection,
  deleteField,
  doc,
  getDoc,
  serverTimestamp,
  updateDoc,
} from 'firebase/firestore';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { createsStamped, messagesOf, postsRequest, says } from './steps.mjs';

after(closeAll);

test('a removed participant reads nothing sent after the removal', async () => {
  const lea = await joins('lea');
  const max = await joins('max');
  const nils = await joins('nils');
  const request = await postsRequest(lea);
  const conversation = doc(collection(lea.db, 'conversations'));
  await createsStamped(lea, 'lastConversation', conversation, {
    conversationType: 'request',
    createdBy: lea.uid,
    participantIds: [lea.uid, max.uid, nils.uid],
    title: 'Groceries',
    context: doc(lea.db, request.path),
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
  await says(max, conversation, 'I can go on Monday.');
  await updateDoc(doc(lea.db, conversation.path), {
    participantIds: [lea.uid, max.uid],
    [`participantState.${nils.uid}`]: deleteField(),
    updatedAt: serverTimestamp(),
  });
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
