// results/sdk-web-writes-official as steps any SDK build can replay: writes through the Write
// stream, each result read back in a transaction (BatchGetDocuments, as the recording read
// them) and compared with what the official emulator gave. Keys are compared sorted (the
// official emulator keeps write order), timestamps as 'timestamp'.
import assert from 'node:assert/strict';

import { officialRecording, printable, request } from './helpers.mjs';

/** [test title, recorded step name, action(fs, db, read)] in the recording's order. */
export const WEB_WRITES = [
  [
    'setDoc stores the document as given',
    'setDoc',
    async (fs, db, read) => {
      await fs.setDoc(fs.doc(db, 'w/a'), { n: 1, s: 'x', tags: ['a'] });
      return read('w/a');
    },
  ],
  [
    'setDoc with merge adds to the stored fields',
    'setDoc merge',
    async (fs, db, read) => {
      await fs.setDoc(fs.doc(db, 'w/a'), { m: { x: 1 } }, { merge: true });
      return read('w/a');
    },
  ],
  [
    'updateDoc applies increment, arrayUnion, serverTimestamp and deleteField',
    'updateDoc with transforms',
    async (fs, db, read) => {
      await fs.updateDoc(fs.doc(db, 'w/a'), {
        n: fs.increment(2),
        tags: fs.arrayUnion('b'),
        at: fs.serverTimestamp(),
        s: fs.deleteField(),
      });
      return read('w/a');
    },
  ],
  [
    'updateDoc of a missing document fails with not-found',
    'updateDoc of a missing document',
    async (fs, db) => {
      await fs.updateDoc(fs.doc(db, 'w/missing'), { n: 1 });
      return 'unexpected';
    },
  ],
  [
    'deleteDoc removes the document',
    'deleteDoc',
    async (fs, db, read) => {
      await fs.deleteDoc(fs.doc(db, 'w/a'));
      return read('w/a');
    },
  ],
  [
    'a batch applies its writes in order',
    'writeBatch',
    async (fs, db, read) => {
      const batch = fs.writeBatch(db);
      batch.set(fs.doc(db, 'w/b1'), { n: 1 });
      batch.set(fs.doc(db, 'w/b2'), { n: 2 });
      batch.delete(fs.doc(db, 'w/b1'));
      await batch.commit();
      return { b1: await read('w/b1'), b2: await read('w/b2') };
    },
  ],
  [
    'fifty writes sent at once are all stored',
    'fifty writes at once',
    async (fs, db, read) => {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => fs.setDoc(fs.doc(db, `burst/d${i}`), { i })),
      );
      return { d0: await read('burst/d0'), d49: await read('burst/d49') };
    },
  ],
  [
    'fifty concurrent increments of one document lose none',
    'fifty increments of one document',
    async (fs, db, read) => {
      await fs.setDoc(fs.doc(db, 'w/counter'), { n: 0 });
      await Promise.all(
        Array.from({ length: 50 }, () =>
          fs.updateDoc(fs.doc(db, 'w/counter'), { n: fs.increment(1) }),
        ),
      );
      return read('w/counter');
    },
  ],
  [
    'the Write stream carries on after a failed write',
    'a write after a failed one',
    async (fs, db, read) => {
      await fs.setDoc(fs.doc(db, 'w/after'), { ok: true });
      return read('w/after');
    },
  ],
];

/**
 * Registers one node:test per recorded step on `test`, run in order against a fresh project
 * with one client of `sdk`; `hooks` are node:test's `before` and `after`.
 */
export function registerWebWrites({ test, before, after }, sdk, projectId) {
  let client;
  let official;
  before(async () => {
    await request('DELETE', `/emulator/v1/projects/${projectId}/databases/(default)/documents`);
    client = sdk.client(projectId);
    const recording = await officialRecording('sdk-web-writes-official-v1.22.0.json');
    official = new Map(recording.map((entry) => [entry.name, entry]));
  });
  after(async () => {
    await client.close();
  });
  const read = (path) =>
    sdk.fs.runTransaction(client.db, async (transaction) => {
      const snapshot = await transaction.get(sdk.fs.doc(client.db, path));
      return snapshot.exists() ? printable(snapshot.data()) : null;
    });
  for (const [title, name, action] of WEB_WRITES) {
    test(title, async () => {
      let outcome;
      try {
        outcome = { name, ok: await action(sdk.fs, client.db, read) };
      } catch (error) {
        outcome = { name, error: { code: error.code } };
      }
      assert.ok(official.has(name), `the recording has a step named ${name}`);
      assert.deepEqual(outcome, official.get(name));
    });
  }
}
