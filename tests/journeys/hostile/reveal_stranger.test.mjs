// Hostile journey: a reveal request needs a context the counterpart took part in (issue 21,
// hole 15). Mallory opens a dm with a stranger and cites it, or her own message in it, to ask
// for a reveal: refused. Once the stranger answers in the dm, citing the answer is a real
// meeting and the request goes through.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { collection, doc, getDoc, serverTimestamp } from 'firebase/firestore';

import { closeAll, refused } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { createsStamped, says } from '../help/steps.mjs';

after(closeAll);

function asksToReveal(member, counterpart, context) {
  const ref = doc(member.db, 'users', member.uid, 'revealConsents', counterpart.uid);
  return createsStamped(member, 'lastRevealConsent', ref, {
    counterpartId: counterpart.uid,
    context: doc(member.db, context.path),
    status: 'consented',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

test('mallory cannot ask a stranger to reveal through a dm only she wrote in', async () => {
  const mallory = await joins('mallory');
  const stranger = await joins('stranger');
  const dm = doc(collection(mallory.db, 'conversations'));
  await createsStamped(mallory, 'lastConversation', dm, {
    conversationType: 'dm',
    createdBy: mallory.uid,
    participantIds: [mallory.uid, stranger.uid],
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
  const own = await says(mallory, dm, 'Tell me who you are.');
  await refused(asksToReveal(mallory, stranger, dm));
  await refused(asksToReveal(mallory, stranger, own));

  const answer = await says(stranger, dm, 'Hi! How can I help?');
  const consent = await asksToReveal(mallory, stranger, answer);
  assert.equal((await getDoc(consent)).data().counterpartId, stranger.uid);
});
