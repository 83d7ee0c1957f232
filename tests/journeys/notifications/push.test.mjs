// Journey: push honours each member's settings. Cleo's quiet hours hold her push but never her
// list's entry; dora turned request updates off and gets no push for them; eve uninstalled
// the app, so FCM answers UNREGISTERED and her dead token is removed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { getDocs } from 'firebase/firestore';

import { closeAll, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { offersHelp, postsRequest } from '../help/steps.mjs';
import {
  hasDevice,
  notificationsOf,
  notified,
  pushesTo,
  registersDevice,
  serverHour,
  setsNotifications,
  uninstallsApp,
} from './steps.mjs';

after(closeAll);

const cast = {};

/** `helper` offers on a fresh request of `member`'s; resolves to `member`'s notification. */
async function offerTo(member, helper) {
  const request = await postsRequest(member);
  await settled();
  const offering = await offersHelp(helper, request, member.uid);
  const entry = await notified(member, 'offeringReceived', offering.path);
  await settled();
  return entry;
}

test('cleo, dora and eve join and register their phones; three helpers join', async () => {
  for (const name of ['cleo', 'dora', 'eve', 'hugo', 'ivan', 'jo']) cast[name] = await joins(name);
  for (const name of ['cleo', 'dora', 'eve']) await registersDevice(cast[name]);
});

test('inside cleo\'s quiet hours the entry appears at once but the push waits until they end', async () => {
  const hour = await serverHour(cast.cleo);
  const at = (h) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  await setsNotifications(cast.cleo, { quietHours: { startsAt: at(hour - 1), endsAt: at(hour + 2) } });
  const entry = await offerTo(cast.cleo, cast.hugo);
  const push = entry.data().push;
  assert.equal(push.status, 'pending', 'the entry is in her list before any push decision');
  const decided = await until(
    entry.ref,
    (snapshot) => snapshot.data()?.push?.status !== 'pending',
    { what: 'cleo\'s push to be decided' },
  );
  assert.equal(decided.data().push.status, 'deferred');
  assert.equal(decided.data().push.reason, 'quietHours');
  assert.equal(decided.data().push.dueAt.toDate().getUTCHours(), (hour + 2) % 24);
  assert.deepEqual(await pushesTo(cast.cleo.token), [], 'no push during quiet hours');
});

test('dora turned request updates off: her list has the offer, her phone gets nothing', async () => {
  await setsNotifications(cast.dora, { topics: { requestUpdates: false } });
  const entry = await offerTo(cast.dora, cast.ivan);
  const decided = await until(entry.ref, (snapshot) => snapshot.data()?.push?.status === 'skipped', {
    what: 'dora\'s push to be skipped',
  });
  assert.equal(decided.data().push.reason, 'topicOff');
  assert.deepEqual(await pushesTo(cast.dora.token), []);
});

test('eve uninstalled the app: FCM answers UNREGISTERED and her token is removed', async () => {
  await uninstallsApp(cast.eve.token);
  const entry = await offerTo(cast.eve, cast.jo);
  const [sent] = await pushesTo(cast.eve.token);
  assert.equal(sent.status, 404);
  assert.equal(sent.error, 'UNREGISTERED');
  assert.equal(await hasDevice(cast.eve), false, 'the dead token is pruned');
  const decided = await until(entry.ref, (snapshot) => snapshot.data()?.push?.status === 'failed', {
    what: 'eve\'s push to be marked failed',
  });
  assert.ok(decided.data().push.reason);
  const listed = (await getDocs(notificationsOf(cast.eve))).docs.map((doc) => doc.data().kind);
  assert.ok(listed.includes('offeringReceived'), 'the entry stays in her list');
});
