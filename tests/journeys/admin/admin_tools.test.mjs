// Journey: moderators' and admins' tools — points adjusted through the ledger, the platform put
// in read-only mode and back, a feature switched off and on, and the audit log an admin reads.
// The switches are platform-wide: every step that flips one puts it back, even when it fails.
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
  updateDoc,
  where,
} from 'firebase/firestore';

import {
  adjustHopePoints,
  hopeLedgerMine,
  messages,
  setFeatureFlags,
  setServiceStatus,
  systemSettings,
} from '@mitche/client';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
import { editsProfile, hopePoints, joins, myProfile } from '../harness/mitche.mjs';
import { accepts, conversationOf, offersHelp, postsRequest, says } from '../help/steps.mjs';

after(closeAll);

let ada;
let mod;

/** ada, the first admin (the operator's grant-role), and mod, a moderator she names. */
async function staff() {
  if (!ada) {
    ada = await joins('ada');
    mod = await joins('mod');
    await makeAdmin(ada);
    await makeModerator(ada, mod);
  }
  return { ada, mod };
}

/** The audit entries of `action` about `target`, as `reader` lists them (admins only). */
async function auditOf(reader, action, target) {
  const entries = await getDocs(
    query(
      collection(reader.db, 'systemSettings', 'audit', 'auditEntries'),
      where('action', '==', action),
      limit(100),
    ),
  );
  return entries.docs.map((entry) => entry.data()).filter((e) => !target || e.target?.path === target);
}

/** Runs `body` with the platform switched by `switchOn` (an admin's callable), and switches it
 * back with `switchBack` whatever happens. */
async function whileSwitched(switchOn, switchBack, body) {
  await switchOn();
  try {
    await body();
  } finally {
    await switchBack();
  }
}

test('a moderator credits samira for help nobody could confirm; she reads the entry and her new total', async () => {
  const { mod } = await staff();
  const samira = await joins('samira');
  await settled();
  const before = await hopePoints(samira);
  const answer = await adjustHopePoints(mod.client, {
    uid: samira.uid,
    amount: 40,
    category: 'communityBuilder',
    reason: 'Ran the winter coat drive, confirmed by the shelter',
    key: `coat-drive-${samira.uid}`,
  });
  assert.equal(answer.total, before + 40);
  const ledger = await getDocs(hopeLedgerMine(samira.client, { limit: 100 }));
  const entry = ledger.docs.map((d) => d.data()).find((e) => e.action === 'adjustment');
  assert.equal(entry.amount, 40);
  assert.equal(entry.reason, 'Ran the winter coat drive, confirmed by the shelter');
  assert.equal(await hopePoints(samira), before + 40);

  // The same call again (a retry) credits nothing more.
  const again = await adjustHopePoints(mod.client, {
    uid: samira.uid,
    amount: 40,
    category: 'communityBuilder',
    reason: 'Ran the winter coat drive, confirmed by the shelter',
    key: `coat-drive-${samira.uid}`,
  });
  assert.equal(again.repeated, true);
  assert.equal(await hopePoints(samira), before + 40);
});

test('mallory cannot adjust her own points, nor write a ledger entry or an audit entry', async () => {
  const mallory = await joins('mallory');
  await refused(
    mallory.call('adjust_hope_points', {
      uid: mallory.uid,
      amount: 10000,
      category: 'guardian',
      reason: 'I deserve it',
      key: `self-${mallory.uid}`,
    }),
  );
  await refused(
    updateDoc(doc(mallory.db, 'users', mallory.uid), {
      'gamification.hopePoints.total': 10000,
      updatedAt: serverTimestamp(),
    }),
  );
  assert.equal(await hopePoints(mallory), 0);
});

test('ada reads in the audit log who adjusted samira\'s points and why; a member cannot read it', async () => {
  const { ada, mod } = await staff();
  const samira = await joins('samira');
  await adjustHopePoints(mod.client, {
    uid: samira.uid,
    amount: 5,
    category: 'connector',
    reason: 'Introduced two neighbours who now share a car',
    key: `intro-${samira.uid}`,
  });
  const [entry] = await auditOf(ada, 'adjust_hope_points', `users/${samira.uid}`);
  assert.equal(entry.actor, mod.uid);
  assert.equal(entry.actorRole, 'moderator');
  assert.equal(entry.outcome, 'succeeded');
  assert.match(entry.reason, /Introduced two neighbours/);
  assert.ok(entry.requestId);
  assert.ok(entry.expiresAt.toMillis() > entry.at.toMillis(), 'the entry expires after it was written');

  // A member's attempt is in the log too, refused.
  const mallory = await joins('mallory');
  await refused(
    mallory.call('adjust_hope_points', {
      uid: mallory.uid,
      amount: 1,
      category: 'guardian',
      reason: 'Trying my luck',
      key: `luck-${mallory.uid}`,
    }),
  );
  const attempts = (await auditOf(ada, 'adjust_hope_points')).filter((e) => e.actor === mallory.uid);
  assert.deepEqual(attempts.map((e) => [e.outcome, e.errorCode]), [['refused', 'permission-denied']]);

  await refused(getDocs(query(collection(samira.db, 'systemSettings', 'audit', 'auditEntries'), limit(10))));
  await refused(getDocs(query(collection(mod.db, 'systemSettings', 'audit', 'auditEntries'), limit(10))));
});

test('in read-only mode every write is refused while reads go on; writes come back with operational', async () => {
  const { ada } = await staff();
  const omar = await joins('omar');
  await whileSwitched(
    () => setServiceStatus(ada.client, { status: 'readOnly', message: 'Maintenance until noon', reason: 'Migration 0004' }),
    () => setServiceStatus(ada.client, { status: 'operational', reason: 'Migration done' }),
    async () => {
      const settings = await getDoc(systemSettings.doc(omar.db, 'public'));
      assert.equal(settings.data().config.serviceStatus, 'readOnly', 'the app reads why writes fail');
      assert.equal(settings.data().config.statusMessage, 'Maintenance until noon');
      await refused(editsProfile(omar, { 'profile.bio': 'Hello' }));
      await refused(postsRequest(omar));
      const me = await myProfile(omar);
      assert.equal(me.profile.displayName, 'Omar', 'omar still reads his profile');
    },
  );
  await editsProfile(omar, { 'profile.bio': 'Hello' });
  const me = await myProfile(omar);
  assert.equal(me.profile.bio, 'Hello');
});

test('a member cannot put the platform in read-only mode or switch features', async () => {
  const { mod } = await staff();
  const mallory = await joins('mallory');
  await refused(mallory.call('set_service_status', { status: 'readOnly', reason: 'Chaos for fun' }));
  await refused(mod.call('set_feature_flags', { flags: { chat: false }, reason: 'Moderators cannot' }));
  await refused(
    updateDoc(doc(mallory.db, 'systemSettings', 'public'), { 'config.serviceStatus': 'readOnly' }),
  );
});

test('with chat switched off, messages are refused; switched on again, the conversation goes on', async () => {
  const { ada } = await staff();
  const amina = await joins('amina');
  const bilal = await joins('bilal');
  const request = await postsRequest(amina);
  const offering = await offersHelp(bilal, request, amina.uid);
  await accepts(amina, offering);
  const conversation = await conversationOf(amina, offering);
  await whileSwitched(
    () => setFeatureFlags(ada.client, { flags: { chat: false }, reason: 'Chat incident review' }),
    () => setFeatureFlags(ada.client, { flags: { chat: true }, reason: 'Review done' }),
    async () => {
      await refused(says(amina, conversation, 'Are you still coming?'));
    },
  );
  const sent = await says(amina, conversation, 'Are you still coming?');
  await until(messages.doc(amina.db, sent.id), (snapshot) => snapshot.exists(), {
    what: 'the message to be stored',
  });
});
