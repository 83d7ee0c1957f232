// Journey: nina asks for a lift; omar, a driver nearby, is suggested to her and opens a dm to
// press his help. Nina blocks him. From then on neither is suggested to the other, he can no
// longer answer her request, open a dm with her or post in theirs (nor can she), and he cannot
// read, forge or lift her block; sven, who did nothing, is unaffected. When nina unblocks him,
// both see each other again and may write to each other. From an empty database, through the rules, the triggers and the
// callables, with the hostile twins (raw SDK) beside the steps they attack.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { deleteDoc, doc, getDoc, getDocs, serverTimestamp, setDoc } from 'firebase/firestore';

import {
  blockMember,
  blocksMine,
  requestsToHelp,
  suggestedHelpers,
  unblockMember,
} from '@mitche/client';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  createsStamped,
  offersHelp,
  postsRequest,
  reads,
  says,
  startsConversation,
} from '../help/steps.mjs';
import { joinsAsDriver } from './steps.mjs';

after(closeAll);

const cast = {};
let lift;
let dm;

async function helpersOf(member, request) {
  const data = await suggestedHelpers(member.client, { requestId: request.id });
  return data.helpers.map((helper) => helper.alias);
}

async function requestsFor(member) {
  const data = await requestsToHelp(member.client, { limit: 50 });
  return data.requests.map((item) => item.requestId);
}

/** A help offering on nina's request, built by hand as a twin would send it. */
function answerTo(member, request, requesterId) {
  return {
    helperId: member.uid,
    offeringType: 'help',
    requestPath: request.path,
    requesterId,
    title: 'Je peux vous conduire',
    category: 'transport',
    visibility: 'community',
    status: 'offered',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  };
}

test('nina asks for a lift; omar and sven, two drivers, offer theirs', async () => {
  cast.nina = await joins('nina', { profile: { languages: ['fr'] } });
  cast.omar = await joinsAsDriver('omar');
  cast.sven = await joinsAsDriver('sven');
  lift = await postsRequest(cast.nina, {
    title: "Aller à l'hôpital jeudi",
    description: "J'ai besoin qu'on me conduise à l'hôpital jeudi matin pour un examen.",
    category: 'transport',
  });
  await settled();
  assert.equal((await reads(cast.nina, lift)).moderation.status, 'approved');
  const aliases = await helpersOf(cast.nina, lift);
  assert.ok(aliases.includes(cast.omar.alias), `omar among ${aliases}`);
  assert.ok((await requestsFor(cast.omar)).includes(lift.id), 'nina\'s request is shown to omar');
});

test('omar opens a dm to nina and presses his help', async () => {
  dm = await startsConversation(cast.omar, [cast.nina]);
  await says(cast.omar, dm, 'Je peux vous conduire, répondez-moi vite.');
});

test('nina blocks omar and finds him on her list of blocks', async () => {
  await blockMember(cast.nina.client, { memberId: cast.omar.uid });
  const mine = await getDocs(blocksMine(cast.nina.client, { limit: 20 }));
  assert.deepEqual(
    mine.docs.map((snapshot) => snapshot.id),
    [cast.omar.uid],
  );
  await settled();
});

test('neither is suggested to the other any more; sven still is', async () => {
  const aliases = await helpersOf(cast.nina, lift);
  assert.ok(!aliases.includes(cast.omar.alias), `omar no longer suggested (${aliases})`);
  assert.ok(aliases.includes(cast.sven.alias), `sven still suggested (${aliases})`);
  assert.ok(!(await requestsFor(cast.omar)).includes(lift.id), 'nina\'s request hidden from omar');
  assert.ok((await requestsFor(cast.sven)).includes(lift.id), 'and still shown to sven');
});

test('omar can no longer answer her request, open a dm with her or post in theirs (hostile twins)', async () => {
  await refused(offersHelp(cast.omar, lift, cast.nina.uid, { category: 'transport' }));
  await refused(
    createsStamped(
      cast.omar,
      'lastOffering',
      doc(cast.omar.db, 'offerings', 'omar-answers-anyway'),
      answerTo(cast.omar, lift, cast.nina.uid),
    ),
  );
  await refused(startsConversation(cast.omar, [cast.nina]));
  await refused(says(cast.omar, dm, 'Pourquoi ne répondez-vous pas ?'));
  await refused(says(cast.nina, dm, 'Laissez-moi tranquille.'));
});

test('omar cannot read, forge or lift nina\'s block (hostile twins)', async () => {
  const block = doc(cast.omar.db, 'users', cast.nina.uid, 'blocks', cast.omar.uid);
  await refused(getDoc(block));
  await refused(deleteDoc(block));
  await refused(
    setDoc(doc(cast.omar.db, 'users', cast.nina.uid, 'blocks', cast.sven.uid), {
      memberId: cast.sven.uid,
      createdAt: serverTimestamp(),
    }),
  );
  await refused(
    setDoc(doc(cast.omar.db, 'users', cast.omar.uid, 'blocks', cast.sven.uid), {
      memberId: cast.nina.uid,
      createdAt: serverTimestamp(),
    }),
  );
});

test('sven, whom nina did not block, still writes to her', async () => {
  const theirs = await startsConversation(cast.sven, [cast.nina]);
  const message = await says(cast.sven, theirs, 'Bonjour, je peux vous conduire jeudi.');
  assert.ok((await getDoc(message)).exists());
});

test('nina unblocks omar: they see each other again and may write to each other', async () => {
  await unblockMember(cast.nina.client, { memberId: cast.omar.uid });
  assert.equal((await getDocs(blocksMine(cast.nina.client, { limit: 20 }))).size, 0);
  await settled();
  assert.ok((await helpersOf(cast.nina, lift)).includes(cast.omar.alias), 'omar suggested again');
  assert.ok((await requestsFor(cast.omar)).includes(lift.id), 'nina\'s request shown again');
  const message = await says(cast.nina, dm, 'Finalement, oui : jeudi à 8 h ?');
  assert.ok((await getDoc(message)).exists());
});
