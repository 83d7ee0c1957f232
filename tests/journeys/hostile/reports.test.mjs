// Hostile journey: reports cannot be weaponised (issue 21, holes 1–3, 5 and 16). Fresh accounts
// report a request and a member; the request stays up for a moderator to judge, the member is never
// frozen (their document still decodes, they keep editing it, a moderator's decision about them
// goes through), a time zone cannot make anyone immune to moderation, and a reporter learns whether
// their report was upheld, never the sanction nor who decided, nor what the triage found (whom the
// report names, how many others reported the item, which moderation keywords it matched).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  collection,
  collectionGroup,
  doc,
  getDoc,
  getDocs,
  orderBy,
  query,
  where,
} from 'firebase/firestore';

import { resolveReport, setMemberRole } from '@mitche/client';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
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

test('bob reports mallory\'s request; once she is suspended bob reads "upheld", never the sanction nor the moderator', async () => {
  const mallory = await joins('mallory');
  const bob = await joins('bob');
  const request = await postsRequest(mallory);
  await settled();
  const report = await reports(bob, 'request', request.path, 'scam', 'asks for a deposit first');
  await settled();
  const decided = await resolveReport(cast.mod.client, {
    reportId: report.id,
    action: 'suspend',
    note: 'Thank you for telling us.',
  });
  assert.equal(decided.action, 'suspend');
  await settled();
  const mine = (await getDoc(report)).data();
  assert.equal(mine.status, 'resolved');
  assert.equal(mine.outcome.upheld, true, 'bob learns his report was upheld');
  assert.equal(mine.outcome.note, 'Thank you for telling us.');
  assert.equal(mine.resolution, undefined, 'no sanction on the report bob reads');
  assert.equal(mine.assignedModeratorId, undefined, 'no moderator on the report bob reads');
  const seen = JSON.stringify(mine);
  assert.ok(!seen.includes(cast.mod.uid), 'the moderator\'s uid is nowhere in it');
  assert.ok(!seen.includes('suspend'), 'the sanction is nowhere in it');
  const told = await getDocs(collection(bob.db, 'users', bob.uid, 'notifications'));
  const notice = told.docs.map((entry) => entry.data()).find((n) => n.kind === 'reportResolved');
  assert.ok(notice, 'bob is told his report was resolved');
  assert.ok(!JSON.stringify(notice).includes('suspend'), 'the notice names no sanction');
  assert.ok(!JSON.stringify(notice).includes(cast.mod.uid), 'the notice names no moderator');
  const caseRef = doc(bob.db, 'reports', report.id, 'private', 'case');
  const theCase = (await getDoc(doc(cast.mod.db, 'reports', report.id, 'private', 'case'))).data();
  assert.equal(theCase.resolution.action, 'suspend', 'the moderators read the sanction');
  assert.equal(theCase.resolution.resolvedBy, cast.mod.uid);
  // Hostile twins: bob asks for the case itself, then for the moderator's caseload.
  await refused(getDoc(caseRef));
  const caseload = query(
    collectionGroup(bob.db, 'private'),
    where('assignedModeratorId', '==', cast.mod.uid),
    where('status', '==', 'inReview'),
    orderBy('assignedAt'),
  );
  await refused(getDocs(caseload));
});

test('bob reports mallory\'s request; once triaged, his report names nobody and tells nothing of the triage: that is the moderators\' case', async () => {
  const mallory = await joins('mallory');
  const bob = await joins('bob');
  const request = await postsRequest(mallory);
  await settled();
  const report = await reports(bob, 'request', request.path, 'scam', 'they want a gift card code first');
  const triaged = await until(report, (snapshot) => snapshot.data()?.severity !== undefined, {
    what: 'the triage to classify bob\'s report',
  });
  await settled();
  const mine = triaged.data();
  assert.equal(mine.status, 'open', 'bob sees his report waiting for a moderator');
  assert.equal(mine.triage, undefined, 'no triage details on the report bob reads');
  assert.equal(mine.targetOwnerId, undefined, 'the report bob reads does not name mallory');
  assert.equal(mine.contentSnapshot, undefined, 'the evidence kept is the moderators\'');
  const seen = JSON.stringify((await getDoc(report)).data());
  assert.ok(!seen.includes(mallory.uid), 'mallory\'s uid is nowhere in it');
  assert.ok(!seen.includes('independentReports'), 'nor how many others reported her request');
  assert.ok(!seen.includes('matchedKeywords'), 'nor which words of the lists it matched');
  const theCase = (await getDoc(doc(cast.mod.db, 'reports', report.id, 'private', 'case'))).data();
  assert.equal(theCase.targetOwnerId, mallory.uid, 'the moderators know whose request it is');
  assert.ok(theCase.triage.independentReports >= 1, 'the moderators know how many reported it');
  assert.ok(theCase.triage.matchedKeywords.length > 0, 'the moderators see the keywords matched');
  assert.equal(theCase.triage.severity, mine.severity);
  // Hostile twins: bob asks for the case, then for the cases that name mallory.
  await refused(getDoc(doc(bob.db, 'reports', report.id, 'private', 'case')));
  const aboutMallory = query(
    collectionGroup(bob.db, 'private'),
    where('targetOwnerId', '==', mallory.uid),
  );
  await refused(getDocs(aboutMallory));
});
