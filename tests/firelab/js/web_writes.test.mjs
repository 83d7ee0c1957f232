// results/sdk-web-writes-official: writes through the web SDK (the Write stream) replayed step
// by step, each result read back in a transaction and compared with what the official emulator
// gave. Keys are compared sorted (the official emulator keeps write order), timestamps as
// 'timestamp'.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  arrayUnion,
  deleteDoc,
  deleteField,
  doc,
  increment,
  runTransaction,
  serverTimestamp,
  setDoc,
  updateDoc,
  writeBatch,
} from 'firebase/firestore';

import { officialRecording, printable, request, webClient } from './helpers.mjs';

const PROJECT = 'demo-js-web-writes';

let client;
let db;
let official;

before(async () => {
  await request('DELETE', `/emulator/v1/projects/${PROJECT}/databases/(default)/documents`);
  client = webClient(PROJECT);
  db = client.db;
  official = new Map(
    (await officialRecording('sdk-web-writes-official-v1.22.0.json')).map((entry) => [
      entry.name,
      entry,
    ]),
  );
});

after(async () => {
  await client.close();
});

/** A document as a transaction reads it (null when missing). */
function read(path) {
  return runTransaction(db, async (transaction) => {
    const snapshot = await transaction.get(doc(db, path));
    return snapshot.exists() ? printable(snapshot.data()) : null;
  });
}

/** Runs one step as the recording did and compares its outcome with the official one. */
async function replay(name, action) {
  let outcome;
  try {
    outcome = { name, ok: await action() };
  } catch (error) {
    outcome = { name, error: { code: error.code } };
  }
  assert.ok(official.has(name), `the recording has a step named ${name}`);
  assert.deepEqual(outcome, official.get(name));
}

test('setDoc stores the document as given', () =>
  replay('setDoc', async () => {
    await setDoc(doc(db, 'w/a'), { n: 1, s: 'x', tags: ['a'] });
    return read('w/a');
  }));

test('setDoc with merge adds to the stored fields', () =>
  replay('setDoc merge', async () => {
    await setDoc(doc(db, 'w/a'), { m: { x: 1 } }, { merge: true });
    return read('w/a');
  }));

test('updateDoc applies increment, arrayUnion, serverTimestamp and deleteField', () =>
  replay('updateDoc with transforms', async () => {
    await updateDoc(doc(db, 'w/a'), {
      n: increment(2),
      tags: arrayUnion('b'),
      at: serverTimestamp(),
      s: deleteField(),
    });
    return read('w/a');
  }));

test('updateDoc of a missing document fails with not-found', () =>
  replay('updateDoc of a missing document', async () => {
    await updateDoc(doc(db, 'w/missing'), { n: 1 });
    return 'unexpected';
  }));

test('deleteDoc removes the document', () =>
  replay('deleteDoc', async () => {
    await deleteDoc(doc(db, 'w/a'));
    return read('w/a');
  }));

test('a batch applies its writes in order', () =>
  replay('writeBatch', async () => {
    const batch = writeBatch(db);
    batch.set(doc(db, 'w/b1'), { n: 1 });
    batch.set(doc(db, 'w/b2'), { n: 2 });
    batch.delete(doc(db, 'w/b1'));
    await batch.commit();
    return { b1: await read('w/b1'), b2: await read('w/b2') };
  }));

test('fifty writes sent at once are all stored', () =>
  replay('fifty writes at once', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => setDoc(doc(db, `burst/d${i}`), { i })),
    );
    return { d0: await read('burst/d0'), d49: await read('burst/d49') };
  }));

test('fifty concurrent increments of one document lose none', () =>
  replay('fifty increments of one document', async () => {
    await setDoc(doc(db, 'w/counter'), { n: 0 });
    await Promise.all(
      Array.from({ length: 50 }, () => updateDoc(doc(db, 'w/counter'), { n: increment(1) })),
    );
    return read('w/counter');
  }));

test('the Write stream carries on after a failed write', () =>
  replay('a write after a failed one', async () => {
    await setDoc(doc(db, 'w/after'), { ok: true });
    return read('w/after');
  }));
