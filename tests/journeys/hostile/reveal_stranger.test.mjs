// Hostile journey: a reveal request needs a context the counterpart took part in (issue 21,
// hole 15). Mallory opens a dm with a stranger and cites it, or her own message in it, to ask
// for a reveal: refused. Once the stranger answers in the dm, citing the answer is a real
// meeting and the request goes through.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { getDoc } from 'firebase/firestore';

import { usersRevealConsents } from '@mitche/client';

import { closeAll, refused } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { consentsToReveal, says, startsConversation } from '../help/steps.mjs';

after(closeAll);

/** `member` asks `counterpart` to reveal, citing `context`, as the app sends it (the
 * library's `consentToReveal`: only the rules know whether the counterpart took part);
 * resolves to the consent document. */
async function asksToReveal(member, counterpart, context) {
  await consentsToReveal(member, counterpart, context);
  return usersRevealConsents.doc(member.db, member.uid, counterpart.uid);
}

test('mallory cannot ask a stranger to reveal through a dm only she wrote in', async () => {
  const mallory = await joins('mallory');
  const stranger = await joins('stranger');
  const dm = await startsConversation(mallory, [stranger]);
  const own = await says(mallory, dm, 'Tell me who you are.');
  await refused(asksToReveal(mallory, stranger, dm));
  await refused(asksToReveal(mallory, stranger, own));

  const answer = await says(stranger, dm, 'Hi! How can I help?');
  const consent = await asksToReveal(mallory, stranger, answer);
  assert.equal((await getDoc(consent)).data().counterpartId, stranger.uid);
});
