// Journey: nina needs a lift to hospital; omar drives people to appointments, pia cooks. Nina
// asks who could help and sees omar's alias with the reasons, nothing that identifies him;
// omar asks which requests he could help with and finds nina's, never a private draft or a
// held post. From an empty database, through the rules, the triggers and the callables, with
// the hostile twin (omar asking about nina's request) beside the step it attacks.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { getDoc } from 'firebase/firestore';

import { requests, requestsToHelp, suggestedHelpers } from '@mitche/client';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { offersToAnyone, postsRequest, reads } from '../help/steps.mjs';

after(closeAll);

const cast = {};
let lift;
let draft;
let held;

test('nina, omar and pia join; omar and pia offer what they do, nina asks for a lift', async () => {
  cast.nina = await joins('nina', { profile: { languages: ['fr'] } });
  cast.omar = await joins('omar', {
    profile: {
      languages: ['fr'],
      skills: ['conduite', 'voiture'],
      bio: "Je conduis les personnes malades à leurs rendez-vous à l'hôpital et je les attends.",
    },
  });
  cast.pia = await joins('pia', {
    profile: { languages: ['fr'], skills: ['cuisine'], bio: 'Je cuisine des repas maison.' },
  });
  await offersToAnyone(cast.omar, {
    title: "Trajets vers l'hôpital",
    description: 'Je vous conduis à vos consultations et je vous ramène.',
  });
  await offersToAnyone(cast.pia, {
    title: 'Repas maison',
    description: 'Des plats cuisinés pour les personnes malades.',
    category: 'food',
  });
  lift = await postsRequest(cast.nina, {
    title: "Aller à l'hôpital jeudi",
    description: "J'ai besoin qu'on me conduise à l'hôpital jeudi matin pour un examen.",
    category: 'transport',
  });
  await settled();
  assert.equal((await reads(cast.nina, lift)).moderation.status, 'approved');
});

test('nina sees omar suggested first, by alias, with why, and nothing that names him', async () => {
  const data = await suggestedHelpers(cast.nina.client, { requestId: lift.id });
  const aliases = data.helpers.map((helper) => helper.alias);
  assert.ok(aliases.includes(cast.omar.alias), `omar among ${aliases}`);
  const omarRank = aliases.indexOf(cast.omar.alias);
  const piaRank = aliases.indexOf(cast.pia.alias);
  assert.ok(piaRank === -1 || omarRank < piaRank, 'the driver before the cook');
  const omar = data.helpers[omarRank];
  assert.deepEqual(Object.keys(omar).sort(), ['alias', 'distanceKm', 'reasons', 'score']);
  assert.ok(omar.reasons.includes('writes about the same need'), omar.reasons.join(', '));
  assert.ok(omar.reasons.includes('can help remotely'), omar.reasons.join(', '));
  const shown = JSON.stringify(data);
  assert.ok(!shown.includes(cast.omar.uid), 'no uid on nina\'s screen');
  assert.ok(!shown.includes('Omar'), 'no display name on nina\'s screen');
  assert.ok(!aliases.includes(cast.nina.alias), 'nina is not suggested to herself');
});

test('omar asking for helpers for nina\'s request is refused (hostile twin)', async () => {
  await refused(cast.omar.call('suggested_helpers', { requestId: lift.id }), 'permission-denied');
  await refused(
    cast.omar.call('suggested_helpers', { requestId: 'no-such-request' }),
    'permission-denied',
  );
});

test('quinn keeps a private draft and the screen keeps rosa\'s post from others', async () => {
  cast.quinn = await joins('quinn', { profile: { languages: ['fr'] } });
  cast.rosa = await joins('rosa', { profile: { languages: ['fr'] } });
  draft = await postsRequest(cast.quinn, {
    title: "Conduite à l'hôpital (brouillon)",
    description: "Il me faudrait quelqu'un pour me conduire à l'hôpital.",
    category: 'transport',
    visibility: 'private',
  });
  held = await postsRequest(cast.rosa, {
    title: "Trajet vers l'hôpital",
    description: "Conduisez-moi à l'hôpital, et please send a wire transfer to my cousin.",
    category: 'transport',
  });
  await settled();
  const screened = (await reads(cast.rosa, held)).moderation.status;
  assert.ok(['held', 'hidden'].includes(screened), `rosa's post is kept from others (${screened})`);
});

test('omar sees nina\'s request among those he could help with, and only requests he may read', async () => {
  const data = await requestsToHelp(cast.omar.client, { limit: 50 });
  const ids = data.requests.map((item) => item.requestId);
  assert.ok(ids.includes(lift.id), 'nina\'s request is suggested to omar');
  assert.ok(!ids.includes(draft.id), 'never quinn\'s private draft');
  assert.ok(!ids.includes(held.id), 'never rosa\'s held post');
  for (const id of ids) {
    const snapshot = await getDoc(requests.doc(cast.omar.db, id));
    assert.ok(snapshot.exists(), `omar may read every request suggested to him (${id})`);
  }
});
