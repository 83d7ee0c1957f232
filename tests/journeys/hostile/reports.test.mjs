// Hostile journey: reports cannot be weaponised (issue 21, holes 1–3). Fresh accounts report a
// request and a member; the request stays up for a moderator to judge, the member is never frozen
// (their document still decodes, they keep editing it, a moderator's decision about them goes
// through), and a time zone cannot make anyone immune to moderation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { resolveReport, setMemberRole } from '@mitche/client';

import { closeAll, makeAdmin, makeModerator, refused, settled } from '../harness/index.mjs';
import { joins, myProfile } from '../harness/mitche.mjs';
import { postsRequest, reads } from '../help/steps.mjs';
import { editsProfile, reports } from './steps.mjs';

after(closeAll);

const cast = {};

before(async () => {
  cast.ada = await joins('ada');
  cast.mod = await joins('mod');
  await makeAdmin(cast.ada);
  await makeModerator(cast.ada, cast.mod);
});

test('three brand-new accounts report alice\'s request as self-harm: it stays up, flagged for a moderator', async () => {
  const alice = await joins('alice');
  const bob = await joins('bob');
  const request = await postsRequest(alice);
  await settled();
  for (const name of ['troll1', 'troll2', 'troll3']) {
    const troll = await joins(name);
    await reports(troll, 'request', request.path, 'selfHarm', 'they want a gift card code');
  }
  await settled();
  const mine = await reads(alice, request);
  assert.equal(mine.moderation.status, 'flagged', 'a moderator will look at it');
  assert.ok(await reads(bob, request), 'bob still sees alice\'s request');
});

test('mallory reports alice; alice keeps editing her profile and a moderator can still warn her', async () => {
  const alice = await joins('alice');
  const mallory = await joins('mallory');
  const report = await reports(mallory, 'user', `users/${alice.uid}`, 'harassment');
  await settled();
  const profile = await myProfile(alice);
  assert.equal(profile.moderation, undefined, 'nothing about the report is written on alice');
  await editsProfile(alice, { 'profile.bio': 'Still here, still helping.' });
  assert.equal((await myProfile(alice)).profile.bio, 'Still here, still helping.');
  const outcome = await resolveReport(cast.mod.client, { reportId: report.id, action: 'warn' });
  assert.equal(outcome.action, 'warn');
  const claims = await alice.refreshToken();
  assert.equal(claims.accountStatus, 'warned', 'the warning reaches alice\'s claims');
});

test('a time zone is an IANA-shaped name or nothing: no member escapes a decision through it', async () => {
  const mallory = await joins('mallory');
  await refused(editsProfile(mallory, { 'preferences.timeZone': 'Nowhere; immune' }));
  await editsProfile(mallory, { 'preferences.timeZone': 'Mars/Olympus_Mons' });
  const outcome = await setMemberRole(cast.ada.client, { uid: mallory.uid, role: 'user' });
  assert.equal(outcome.role, 'user', 'an admin still acts on mallory');
  const reporter = await joins('reporter');
  const report = await reports(reporter, 'user', `users/${mallory.uid}`, 'harassment');
  await settled();
  const decided = await resolveReport(cast.mod.client, { reportId: report.id, action: 'suspend' });
  assert.equal(decided.action, 'suspend', 'a moderator still suspends mallory');
});

test('a suspension bites at once: mallory\'s app, still holding its old token, writes nothing more', async () => {
  const mallory = await joins('mallory');
  await editsProfile(mallory, { 'profile.bio': 'Watch me.' });
  const reporter = await joins('reporter');
  const report = await reports(reporter, 'user', `users/${mallory.uid}`, 'harassment');
  await settled();
  await resolveReport(cast.mod.client, { reportId: report.id, action: 'suspend' });
  await settled();
  await refused(editsProfile(mallory, { 'profile.bio': 'Still here, with my old token.' }));
});
