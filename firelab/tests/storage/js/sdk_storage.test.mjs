// The firebase web SDK's `firebase/storage` under Node against the local Storage server, as
// members signed in through mock ID tokens (what the Auth emulator issues): uploads of every
// kind, download URLs and bytes, listing, metadata, deletion, and the rules' answers.
//
// FIREBASE_STORAGE_EMULATOR_HOST names the Storage server and FIRESTORE_EMULATOR_HOST the
// Firestore server its rules read (tests/storage/js/test_storage_js.py sets both and loads
// rules.storage for the bucket used here).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { deleteApp, initializeApp } from 'firebase/app';
import {
  connectStorageEmulator,
  deleteObject,
  getBytes,
  getDownloadURL,
  getMetadata,
  getStorage,
  list,
  listAll,
  ref,
  updateMetadata,
  uploadBytes,
  uploadBytesResumable,
  uploadString,
} from 'firebase/storage';

const PROJECT = process.env.STORAGE_PROJECT;
const BUCKET = `${PROJECT}.appspot.com`;
const [host, port] = splitHost(process.env.FIREBASE_STORAGE_EMULATOR_HOST);
const apps = [];

function splitHost(value) {
  if (!value) throw new Error('FIREBASE_STORAGE_EMULATOR_HOST must name the server (host:port)');
  const at = value.lastIndexOf(':');
  return [value.slice(0, at), Number(value.slice(at + 1))];
}

/** Storage as `uid` (undefined: signed out; 'owner': rules bypassed, like rules-unit-testing). */
function storageAs(uid) {
  const app = initializeApp({ projectId: PROJECT, apiKey: 'demo', storageBucket: BUCKET }, `app-${apps.length}`);
  apps.push(app);
  const storage = getStorage(app);
  let options = {};
  if (uid === 'owner') options = { mockUserToken: 'owner' };
  else if (uid) options = { mockUserToken: { user_id: uid, sub: uid } };
  connectStorageEmulator(storage, host, port, options);
  return storage;
}

after(async () => {
  await Promise.all(apps.map((app) => deleteApp(app)));
});

const alice = storageAs('alice');
const bob = storageAs('bob');
const visitor = storageAs(undefined);
const owner = storageAs('owner');

const bytesOf = (size, seed = 7) => {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) data[i] = (i * 31 + seed) % 251;
  return data;
};

test('uploadBytes stores the bytes and metadata a member sends, below their own folder', async () => {
  const data = bytesOf(1000);
  const result = await uploadBytes(ref(alice, 'users/alice/notes.bin'), data, {
    contentType: 'application/octet-stream',
    customMetadata: { purpose: 'test' },
  });
  assert.equal(result.metadata.size, 1000);
  assert.equal(result.metadata.fullPath, 'users/alice/notes.bin');
  assert.equal(result.metadata.bucket, BUCKET);
  assert.deepEqual(result.metadata.customMetadata, { purpose: 'test' });
  const back = new Uint8Array(await getBytes(ref(alice, 'users/alice/notes.bin')));
  assert.deepEqual(back, data);
});

test('uploadBytesResumable sends a 2 MB file in chunks and reports progress to the end', async () => {
  const data = bytesOf(2 * 1024 * 1024 + 123, 3);
  const task = uploadBytesResumable(ref(alice, 'users/alice/big.bin'), data, {
    contentType: 'application/octet-stream',
  });
  const seen = [];
  task.on('state_changed', (snapshot) => seen.push(snapshot.bytesTransferred));
  const snapshot = await task;
  assert.equal(snapshot.metadata.size, data.length);
  assert.equal(seen.at(-1), data.length);
  assert.ok(seen.length > 2, `progress was reported ${seen.length} times`);
  const back = new Uint8Array(await getBytes(ref(bob, 'users/alice/big.bin')));
  assert.equal(back.length, data.length);
  assert.deepEqual(back.subarray(0, 1000), data.subarray(0, 1000));
  assert.deepEqual(back.subarray(-1000), data.subarray(-1000));
});

test('getDownloadURL gives a token URL anyone can fetch, even a visitor the rules refuse', async () => {
  await uploadString(ref(alice, 'users/alice/hello.txt'), 'hello, world', 'raw', {
    contentType: 'text/plain',
  });
  await assert.rejects(getBytes(ref(visitor, 'users/alice/hello.txt')), { code: 'storage/unauthorized' });
  const url = await getDownloadURL(ref(alice, 'users/alice/hello.txt'));
  assert.match(url, /[?&]alt=media&token=[0-9a-f-]{36}$/);
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'hello, world');
  assert.equal(response.headers.get('content-type'), 'text/plain');
  const tampered = await fetch(url.replace(/token=.*/, 'token=not-a-token'));
  assert.equal(tampered.status, 403);
});

test('getMetadata and updateMetadata round-trip custom metadata; null removes a key', async () => {
  const target = ref(alice, 'users/alice/meta.txt');
  await uploadString(target, 'x', 'raw', { contentType: 'text/plain', customMetadata: { a: '1', b: '2' } });
  const updated = await updateMetadata(target, { cacheControl: 'max-age=60', customMetadata: { a: null, c: '3' } });
  assert.equal(updated.cacheControl, 'max-age=60');
  assert.deepEqual(updated.customMetadata, { b: '2', c: '3' });
  const read = await getMetadata(target);
  assert.equal(read.metageneration, '2');
  assert.equal(read.contentType, 'text/plain');
  assert.deepEqual(read.customMetadata, { b: '2', c: '3' });
});

test('listAll and list page through files and folders below a prefix', async () => {
  for (const name of ['a.txt', 'b.txt', 'c.txt', 'sub/d.txt', 'sub/deeper/e.txt']) {
    await uploadString(ref(alice, `users/alice/listing/${name}`), name, 'raw', { contentType: 'text/plain' });
  }
  const all = await listAll(ref(alice, 'users/alice/listing'));
  assert.deepEqual(all.items.map((item) => item.name), ['a.txt', 'b.txt', 'c.txt']);
  assert.deepEqual(all.prefixes.map((prefix) => prefix.fullPath), ['users/alice/listing/sub']);
  const first = await list(ref(alice, 'users/alice/listing'), { maxResults: 2 });
  assert.deepEqual(first.items.map((item) => item.name), ['a.txt', 'b.txt']);
  assert.ok(first.nextPageToken);
  const second = await list(ref(alice, 'users/alice/listing'), { maxResults: 2, pageToken: first.nextPageToken });
  assert.deepEqual(second.items.map((item) => item.name), ['c.txt']);
  assert.equal(second.nextPageToken, undefined);
});

test('the rules refuse a stranger writing into a member folder, and listing by visitors', async () => {
  await assert.rejects(uploadString(ref(bob, 'users/alice/intruder.txt'), 'no', 'raw'), {
    code: 'storage/unauthorized',
  });
  await assert.rejects(listAll(ref(visitor, 'users/alice')), { code: 'storage/unauthorized' });
  await assert.rejects(uploadString(ref(alice, 'users/alice/huge.txt'), 'x'.repeat(2048), 'raw', {
    contentType: 'text/plain',
  }), { code: 'storage/unauthorized' }, 'the rules cap text files at 1 KB');
});

test('a resumable upload the rules refuse fails as unauthorized and stores nothing', async () => {
  const task = uploadBytesResumable(ref(bob, 'users/alice/sneaky.bin'), bytesOf(600 * 1024));
  await assert.rejects(task, { code: 'storage/unauthorized' });
  await assert.rejects(getMetadata(ref(alice, 'users/alice/sneaky.bin')), { code: 'storage/object-not-found' });
});

test('deleteObject removes the file; deleting it again is object-not-found', async () => {
  const target = ref(alice, 'users/alice/gone.txt');
  await uploadString(target, 'bye', 'raw', { contentType: 'text/plain' });
  await assert.rejects(deleteObject(ref(bob, 'users/alice/gone.txt')), { code: 'storage/unauthorized' });
  await deleteObject(target);
  await assert.rejects(getMetadata(target), { code: 'storage/object-not-found' });
  await assert.rejects(deleteObject(target), { code: 'storage/object-not-found' });
});

test('firestore.get() in the rules reads the Firestore server: shared albums are readable by their members', async () => {
  await uploadString(ref(owner, 'albums/trip/photo.txt'), 'sunset', 'raw', { contentType: 'text/plain' });
  // tests/storage/js/test_storage_js.py stores albums/trip with members ['bob'] in Firestore.
  assert.equal(new TextDecoder().decode(await getBytes(ref(bob, 'albums/trip/photo.txt'))), 'sunset');
  await assert.rejects(getBytes(ref(alice, 'albums/trip/photo.txt')), { code: 'storage/unauthorized' });
});
