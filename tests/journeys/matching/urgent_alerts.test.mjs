// Journey: omar and sven drive people to hospital; omar asked to hear of requests near him,
// sven did not. Nina posts a critical request: omar is alerted at once with its title (never
// who asked), opens it through the rules, and sven hears nothing. Rosa's critical request an
// instant later does not alert omar again (one alert per window). Omar cannot read or reset
// the card that keeps his window (hostile twins). From an empty database, through the rules,
// the triggers and the notification pipeline.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, getDoc, serverTimestamp, setDoc } from 'firebase/firestore';

import { requests } from '@mitche/client';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { postsRequest, reads } from '../help/steps.mjs';
import { kindsAbout, notified, setsNotifications } from '../notifications/steps.mjs';
import { joinsAsDriver } from './steps.mjs';

after(closeAll);

const cast = {};
let lift;

test('omar and sven offer lifts; omar asks to hear of requests near him', async () => {
  cast.omar = await joinsAsDriver('omar');
  cast.sven = await joinsAsDriver('sven');
  await setsNotifications(cast.omar, { topics: { nearbyRequests: true } });
  await settled();
});

test('nina posts a critical request: omar is alerted with its title, sven is not', async () => {
  cast.nina = await joins('nina', { profile: { languages: ['fr'] } });
  lift = await postsRequest(cast.nina, {
    title: "Urgent : aller à l'hôpital ce soir",
    description: "Il faut me conduire aux urgences de l'hôpital ce soir, je ne peux pas conduire.",
    category: 'transport',
    urgency: 'critical',
  });
  await settled();
  assert.equal((await reads(cast.nina, lift)).moderation.status, 'approved');
  const alert = (await notified(cast.omar, 'urgentRequest', lift.path)).data();
  assert.ok(alert.body.includes("aller à l'hôpital ce soir"), alert.body);
  assert.ok(!JSON.stringify(alert).includes(cast.nina.uid), 'the alert never names who asked');
  assert.ok(!JSON.stringify(alert).includes(cast.nina.alias), 'not even by alias');
  const opened = await getDoc(requests.doc(cast.omar.db, lift.id));
  assert.ok(opened.exists(), 'omar opens the request the alert names');
  assert.deepEqual(await kindsAbout(cast.sven, lift.path), [], 'sven did not ask for alerts');
});

test('rosa\'s critical request right after does not alert omar again', async () => {
  cast.rosa = await joins('rosa', { profile: { languages: ['fr'] } });
  const second = await postsRequest(cast.rosa, {
    title: "Conduite à l'hôpital tout de suite",
    description: "J'ai besoin qu'on me conduise à l'hôpital maintenant.",
    category: 'transport',
    urgency: 'critical',
  });
  await settled();
  assert.equal((await reads(cast.rosa, second)).moderation.status, 'approved');
  assert.deepEqual(await kindsAbout(cast.omar, second.path), [], 'one alert per window');
});

test('omar cannot read or reset the card that keeps his alert window (hostile twins)', async () => {
  const card = doc(cast.omar.db, 'systemSettings', 'matching', 'helperCards', cast.omar.uid);
  await refused(getDoc(card));
  await refused(setDoc(card, { alerts: true, alertedAt: null, updatedAt: serverTimestamp() }));
});
