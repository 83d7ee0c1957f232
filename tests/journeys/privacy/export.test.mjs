// Story: alice asks Mitché for everything it holds about her. The platform gathers it into an
// archive only she can open (a JSON file per kind of document, a README saying what each
// holds), tells her it is ready, and keeps it from everyone else.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { getDoc } from 'firebase/firestore';
import { getBytes, getDownloadURL, ref } from 'firebase/storage';

import { closeAll, refused } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { postsRequest } from '../help/steps.mjs';
import { answersConsents, exportJobOf, exportsTheirData, storageOf, unzip } from './steps.mjs';

let alice;
let bob;
let request;
let job;

before(async () => {
  alice = await joins('alice');
  bob = await joins('bob');
  request = await postsRequest(alice, { title: 'Help carrying a wardrobe upstairs' });
  await answersConsents(alice, { analytics: true, leaderboards: false });
});

after(closeAll);

test('alice asks for her data; her export job says when the archive is ready', async () => {
  job = await exportsTheirData(alice);
  assert.match(job.archivePath, new RegExp(`^exports/${alice.uid}/${job.exportId}/`));
  assert.ok(job.sizeBytes > 0, 'the archive is not empty');
  assert.ok(job.expiresAt.toMillis() > job.readyAt.toMillis(), 'the archive expires later');
});

test('alice downloads her archive: her profile, consents and request are in it, explained', async () => {
  const files = unzip(await getBytes(ref(storageOf(alice), job.archivePath)));
  assert.ok(files['README.md'].includes('| `requests.json` |'), 'the README lists each file');
  const manifest = JSON.parse(files['manifest.json']);
  assert.equal(manifest.uid, alice.uid);
  const [profile] = JSON.parse(files['profile.json']);
  assert.equal(profile.data.profile.anonymousAlias, alice.alias);
  const requests = JSON.parse(files['requests.json']);
  assert.deepEqual(requests.map((row) => row.path), [request.path]);
  assert.equal(requests[0].data.title, 'Help carrying a wardrobe upstairs');
  const privateDocuments = JSON.parse(files['member.private.json']).map((row) => row.path);
  assert.ok(privateDocuments.includes(`users/${alice.uid}/private/consents`), 'her consents');
  assert.equal(manifest.files['requests.json'], 1);
});

test('the link her app gets for the archive downloads it too', async () => {
  const url = await getDownloadURL(ref(storageOf(alice), job.archivePath));
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.ok(unzip(await response.arrayBuffer())['profile.json'], 'the same archive');
});

test('hostile: bob cannot read alice\'s archive, its link or her export job', async () => {
  await refused(getBytes(ref(storageOf(bob), job.archivePath)), 'storage/unauthorized');
  await refused(getDownloadURL(ref(storageOf(bob), job.archivePath)), 'storage/unauthorized');
  await refused(getDoc(exportJobOf(bob, alice)));
});

test('hostile: bob cannot export alice\'s data by naming her', async () => {
  await refused(bob.call('request_data_export', { uid: alice.uid }), 'invalid-argument');
});

test('bob\'s own archive holds his data, never alice\'s request', async () => {
  const his = await exportsTheirData(bob);
  const files = unzip(await getBytes(ref(storageOf(bob), his.archivePath)));
  assert.deepEqual(JSON.parse(files['requests.json']), []);
  assert.equal(JSON.parse(files['manifest.json']).uid, bob.uid);
});
