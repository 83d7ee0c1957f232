// Journey: uma and vic both mend bicycles in Croix-Rousse. Tess asked for a lift and rated
// uma's help five stars; wes asked for meals and rated vic's five stars. When xena asks for
// someone to mend her bicycle (transport), both are suggested, but only uma is "rated for this
// kind of help": a rating counts in the kind of help the requester asked for, whatever the
// helper called their answer; and zoe's rating of yan's standing offer of company, which she
// claimed, counts as company. From an empty database, through the rules, the triggers and
// the callables, with the hostile twins beside the steps they attack: a helper writing their
// own ratings, and a helper moving their rating into another kind of help before or after it
// is given.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, serverTimestamp, updateDoc } from 'firebase/firestore';

import { geohash, suggestedHelpers } from '@mitche/client';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  accepts,
  claims,
  confirmsAndRates,
  offersHelp,
  offersToAnyone,
  postsRequest,
  profileReaches,
  reads,
} from '../help/steps.mjs';
import { publicLocation } from '../nearby/steps.mjs';

after(closeAll);

const CROIX_ROUSSE = { latitude: 45.7745, longitude: 4.829 };
const MENDER = {
  languages: ['fr'],
  skills: ['velo', 'reparation'],
  bio: 'Je répare les vélos : crevaisons, freins, chaînes et dérailleurs, chez vous.',
  homeArea: {
    geohash: geohash(CROIX_ROUSSE.latitude, CROIX_ROUSSE.longitude, 5),
    label: 'Croix-Rousse, Lyon',
  },
};
const cast = {};
const offers = {};

test('uma and vic, who mend bicycles, answer tess (a lift) and wes (meals)', async () => {
  cast.uma = await joins('uma', { profile: MENDER });
  cast.vic = await joins('vic', { profile: MENDER });
  cast.tess = await joins('tess', { profile: { languages: ['fr'] } });
  cast.wes = await joins('wes', { profile: { languages: ['fr'] } });
  const lift = await postsRequest(cast.tess, {
    title: 'Un trajet jusqu’à la gare',
    description: 'Il me faudrait quelqu’un pour me conduire à la gare Part-Dieu samedi.',
    category: 'transport',
  });
  const meals = await postsRequest(cast.wes, {
    title: 'Des repas cette semaine',
    description: 'Je sors de l’hôpital et ne peux pas cuisiner cette semaine.',
    category: 'food',
  });
  await settled();
  offers.uma = await offersHelp(cast.uma, lift, cast.tess.uid, {
    title: 'Je vous emmène à la gare',
    category: 'transport',
  });
  // Vic calls his answer to wes's meals "transport": the rules let a helper choose their
  // answer's category, but the rating will count in wes's category, food.
  offers.vic = await offersHelp(cast.vic, meals, cast.wes.uid, {
    title: 'Je vous apporte des repas',
    category: 'transport',
  });
  await accepts(cast.tess, offers.uma);
  await accepts(cast.wes, offers.vic);
  await settled();
});

test('vic cannot move his accepted answer into another kind of help (hostile twin)', async () => {
  await refused(
    updateDoc(doc(cast.vic.db, offers.vic.path), { category: 'legal', updatedAt: serverTimestamp() }),
  );
});

test('tess and wes confirm the help and rate it five stars', async () => {
  await confirmsAndRates(cast.tess, offers.uma, 5);
  await confirmsAndRates(cast.wes, offers.vic, 5);
  await settled();
  const uma = await profileReaches(
    cast.uma,
    (data) => data.stats?.rating?.count === 1,
    'uma\'s rating to count tess\'s stars',
  );
  assert.deepEqual(uma.stats.ratingsByCategory, { transport: { count: 1, average: 5 } });
  const vic = await profileReaches(
    cast.vic,
    (data) => data.stats?.rating?.count === 1,
    'vic\'s rating to count wes\'s stars',
  );
  assert.deepEqual(
    vic.stats.ratingsByCategory,
    { food: { count: 1, average: 5 } },
    'wes rated help with meals, whatever vic called his answer',
  );
});

test('vic cannot move his rating into another kind of help, nor write his ratings (hostile twins)', async () => {
  await refused(
    updateDoc(doc(cast.vic.db, offers.vic.path), {
      category: 'household',
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(
    updateDoc(doc(cast.vic.db, 'users', cast.vic.uid), {
      'stats.ratingsByCategory.transport': { count: 12, average: 5 },
      updatedAt: serverTimestamp(),
    }),
  );
  await refused(
    updateDoc(doc(cast.vic.db, 'users', cast.vic.uid), {
      stats: { rating: { count: 12, average: 5 }, ratingsByCategory: {} },
      updatedAt: serverTimestamp(),
    }),
  );
  await settled();
  const vic = await reads(cast.vic, doc(cast.vic.db, 'users', cast.vic.uid));
  assert.deepEqual(vic.stats.ratingsByCategory, { food: { count: 1, average: 5 } });
  assert.equal((await reads(cast.vic, offers.vic)).category, 'transport');
});

test('xena asks for her bicycle to be mended: uma is rated for this kind of help, vic only overall', async () => {
  cast.xena = await joins('xena', { profile: { languages: ['fr'] } });
  const bicycle = await postsRequest(cast.xena, {
    title: 'Réparer mon vélo crevé',
    description: 'Mon vélo a un pneu crevé et les freins qui frottent ; qui pourrait le réparer ?',
    category: 'transport',
    urgency: 'medium',
    remoteOk: false,
    location: publicLocation(CROIX_ROUSSE, 'Croix-Rousse, Lyon'),
  });
  await settled();
  const data = await suggestedHelpers(cast.xena.client, { requestId: bicycle.id });
  const byAlias = new Map(data.helpers.map((helper) => [helper.alias, helper]));
  const uma = byAlias.get(cast.uma.alias);
  const vic = byAlias.get(cast.vic.alias);
  assert.ok(uma && vic, `uma and vic among ${[...byAlias.keys()]}`);
  assert.ok(
    uma.reasons.includes('rated 5.0 by 1 member for this kind of help'),
    uma.reasons.join(', '),
  );
  assert.ok(vic.reasons.includes('rated 5.0 by 1 member'), vic.reasons.join(', '));
  assert.ok(
    !vic.reasons.some((reason) => reason.includes('this kind of help')),
    vic.reasons.join(', '),
  );
  const shown = JSON.stringify(data);
  for (const member of [cast.uma, cast.vic, cast.tess, cast.wes]) {
    assert.ok(!shown.includes(member.uid), 'no uid on xena\'s screen');
  }
  assert.ok(!shown.includes('Uma') && !shown.includes('Vic'), 'no display name either');
});

test('zoe claims yan\'s standing offer of company and rates it: it counts as company', async () => {
  cast.yan = await joins('yan', { profile: { languages: ['fr'] } });
  cast.zoe = await joins('zoe', { profile: { languages: ['fr'] } });
  offers.yan = await offersToAnyone(cast.yan, {
    title: 'Une visite et un café',
    description: 'Je passe une heure avec vous pour discuter autour d’un café.',
    category: 'companionship',
  });
  await settled();
  await claims(cast.zoe, offers.yan);
  await settled();
  // What zoe accepted is company: yan cannot turn it into another kind of help now.
  await refused(
    updateDoc(doc(cast.yan.db, offers.yan.path), {
      category: 'transport',
      updatedAt: serverTimestamp(),
    }),
  );
  await confirmsAndRates(cast.zoe, offers.yan, 4);
  await settled();
  const yan = await profileReaches(
    cast.yan,
    (data) => data.stats?.rating?.count === 1,
    'yan\'s rating to count zoe\'s stars',
  );
  assert.deepEqual(yan.stats.ratingsByCategory, { companionship: { count: 1, average: 4 } });
});
