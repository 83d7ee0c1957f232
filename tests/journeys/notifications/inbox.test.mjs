// Journey: rita asks for help and hugo answers; each is told what concerns them, in their own
// list and nobody else's: the offer, its acceptance, the messages (one entry per
// conversation), a reveal asked and completed. Rita reads one and her badge follows. Hostile
// twins: hugo reading or marking rita's notifications, planting a device for her, rita
// rewriting or backdating her own.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  collection,
  doc,
  getDoc,
  getDocs,
  limit,
  query,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
} from 'firebase/firestore';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { editsProfile, joins } from '../harness/mitche.mjs';
import {
  accepts,
  consentsToReveal,
  conversationOf,
  offersHelp,
  postsRequest,
  says,
} from '../help/steps.mjs';
import {
  kindsAbout,
  notificationsOf,
  notified,
  opens,
  pushesTo,
  registersDevice,
  serverPasses,
  unreadReaches,
} from './steps.mjs';

after(closeAll);

const cast = {};
let request;
let offering;
let conversation;

test('rita, hugo and sam join; rita and hugo register their phones', async () => {
  cast.rita = await joins('rita');
  cast.hugo = await joins('hugo');
  cast.sam = await joins('sam');
  await registersDevice(cast.rita);
  await registersDevice(cast.hugo);
});

test('hugo offers on rita\'s request: rita is told (in French if she reads French), nobody else', async () => {
  await editsProfile(cast.rita, { 'preferences.locale': 'fr-FR' });
  request = await postsRequest(cast.rita, { title: 'Soupe pour une voisine malade' });
  await settled();
  offering = await offersHelp(cast.hugo, request, cast.rita.uid);
  const entry = await notified(cast.rita, 'offeringReceived', offering.path);
  assert.equal(entry.data().body, 'Quelqu\'un propose de vous aider pour « Soupe pour une voisine malade ».');
  await settled();
  assert.deepEqual(await kindsAbout(cast.hugo, offering.path), [], 'hugo is not told of his own offer');
  assert.deepEqual(await kindsAbout(cast.sam, offering.path), []);
  const pushed = await pushesTo(cast.rita.token);
  assert.equal(pushed.length, 1, 'rita\'s phone got one push');
  assert.equal(pushed[0].message.notification.title, 'Nouvelle offre d\'aide');
});

test('rita accepts: hugo is told', async () => {
  await accepts(cast.rita, offering);
  await notified(cast.hugo, 'offeringAccepted', offering.path);
  conversation = await conversationOf(cast.hugo, offering);
});

test('hugo writes twice: rita has one message notification counting two, without the text', async () => {
  const first = await says(cast.hugo, conversation, 'Je passe à 18h.');
  await settled();
  const sent = (await getDoc(doc(cast.hugo.db, first.path))).data().createdAt;
  await serverPasses(cast.hugo, new Timestamp(sent.seconds + 1, sent.nanoseconds));
  await says(cast.hugo, conversation, 'Avec du pain aussi.');
  await settled();
  const snapshot = await getDocs(notificationsOf(cast.rita));
  const about = snapshot.docs.filter((entry) => entry.data().target.path === conversation.path);
  assert.equal(about.length, 1, 'one entry for the conversation');
  assert.equal(about[0].data().count, 2);
  assert.ok(!about[0].data().body.includes('pain'), 'no message text in the notification');
  assert.deepEqual(await kindsAbout(cast.hugo, conversation.path), [], 'the sender is not told');
});

test('rita opens the offer notification: it is read and her badge drops by one', async () => {
  const entries = (await getDocs(notificationsOf(cast.rita))).docs;
  const unreadBefore = entries.filter((entry) => entry.data().readAt === null).length;
  await unreadReaches(cast.rita, unreadBefore);
  const offer = entries.find((entry) => entry.data().kind === 'offeringReceived');
  await opens(cast.rita, offer);
  await unreadReaches(cast.rita, unreadBefore - 1);
});

test('rita cannot rewrite, backdate or re-open a notification (hostile twins)', async () => {
  const offer = (await getDocs(notificationsOf(cast.rita))).docs.find(
    (entry) => entry.data().kind === 'offeringAccepted' || entry.data().kind === 'newMessage',
  );
  const ref = doc(cast.rita.db, offer.ref.path);
  await refused(updateDoc(ref, { readAt: serverTimestamp(), body: 'Vous avez gagné !' }));
  await refused(updateDoc(ref, { readAt: new Date(0) }));
  await refused(
    setDoc(doc(cast.rita.db, 'users', cast.rita.uid, 'notifications', 'forged'), {
      kind: 'levelUp',
      title: 'Level up',
      body: 'You reached level 100.',
    }),
  );
  await refused(
    updateDoc(doc(cast.rita.db, 'users', cast.rita.uid, 'notificationInbox', 'summary'), {
      unread: 0,
    }),
  );
});

test('hugo cannot read or mark rita\'s notifications, nor register a device for her (hostile twins)', async () => {
  const ritas = (await getDocs(notificationsOf(cast.rita))).docs;
  const theirs = doc(cast.hugo.db, ritas[0].ref.path);
  await refused(getDoc(theirs));
  await refused(
    getDocs(query(collection(cast.hugo.db, 'users', cast.rita.uid, 'notifications'), limit(10))),
  );
  await refused(updateDoc(theirs, { readAt: serverTimestamp() }));
  await refused(getDoc(doc(cast.hugo.db, 'users', cast.rita.uid, 'notificationInbox', 'summary')));
  await refused(
    setDoc(doc(cast.hugo.db, 'users', cast.rita.uid, 'devices', 'planted'), {
      token: 'hugo-listens-in',
      platform: 'web',
      createdAt: serverTimestamp(),
      lastSeenAt: serverTimestamp(),
    }),
  );
  await refused(getDoc(doc(cast.hugo.db, 'users', cast.rita.uid, 'devices', 'phone')));
});

test('hugo asks to reveal identities: rita is asked by his alias; once she agrees both are told', async () => {
  await consentsToReveal(cast.hugo, cast.rita, conversation);
  const consent = `users/${cast.hugo.uid}/revealConsents/${cast.rita.uid}`;
  const asked = await notified(cast.rita, 'revealRequested', consent);
  assert.ok(asked.data().body.includes(cast.hugo.alias));
  await consentsToReveal(cast.rita, cast.hugo, request);
  await notified(cast.hugo, 'revealCompleted', `users/${cast.rita.uid}`);
  await notified(cast.rita, 'revealCompleted', `users/${cast.hugo.uid}`);
  assert.deepEqual(await kindsAbout(cast.sam, consent), []);
});
