// A storage rules test written for the official emulator, run unchanged against the local
// server: @firebase/rules-unit-testing loads the rules (PUT /internal/setRules), hands out
// authenticated and unauthenticated contexts, seeds with rules disabled ('owner'), and
// clearStorage() lists and deletes the bucket's files.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
} from '@firebase/rules-unit-testing';

const [host, port] = (() => {
  const value = process.env.FIREBASE_STORAGE_EMULATOR_HOST;
  const at = value.lastIndexOf(':');
  return [value.slice(0, at), Number(value.slice(at + 1))];
})();

// Its own project, so its rules (loaded for every bucket) are judged here only; the bucket
// rules-unit-testing uses is the project ID.
const PROJECT = 'demo-rut-storage';

const RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /public/{file} {
      allow read;
      allow write: if request.auth.token.editor == true;
    }
    match /private/{uid}/{file} {
      allow read, write: if request.auth.uid == uid;
    }
  }
}`;

let env;

before(async () => {
  env = await initializeTestEnvironment({ projectId: PROJECT, storage: { host, port, rules: RULES } });
});

after(async () => {
  await env.cleanup();
});

test('an editor writes a public file and a visitor reads it; a non-editor cannot write', async () => {
  const editor = env.authenticatedContext('eve', { editor: true }).storage();
  await assertSucceeds(editor.ref('public/notice.txt').putString('open'));
  const visitor = env.unauthenticatedContext().storage();
  const url = await assertSucceeds(visitor.ref('public/notice.txt').getDownloadURL());
  assert.match(url, /token=/);
  const plain = env.authenticatedContext('pat').storage();
  await assertFails(plain.ref('public/notice.txt').putString('mine now'));
});

test('private folders: the owner reads and writes, others are refused', async () => {
  const alice = env.authenticatedContext('alice').storage();
  await assertSucceeds(alice.ref('private/alice/diary.txt').putString('dear diary'));
  await assertSucceeds(alice.ref('private/alice/diary.txt').getMetadata());
  const bob = env.authenticatedContext('bob').storage();
  await assertFails(bob.ref('private/alice/diary.txt').getMetadata());
  await assertFails(bob.ref('private/alice/diary.txt').delete());
});

test('withSecurityRulesDisabled seeds past the rules; clearStorage empties the bucket root', async () => {
  await env.withSecurityRulesDisabled(async (context) => {
    await context.storage().ref('seeded.txt').putString('seed');
  });
  const visitor = env.unauthenticatedContext().storage();
  await assertFails(visitor.ref('seeded.txt').getMetadata());
  await env.clearStorage();
  await env.withSecurityRulesDisabled(async (context) => {
    const { items } = await context.storage().ref().listAll();
    assert.deepEqual(items.map((item) => item.name), []);
  });
});

test('rules that do not compile are refused with the emulator\'s message', async () => {
  const response = await fetch(`http://${host}:${port}/internal/setRules`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules: { files: [{ name: 'storage.rules', content: 'service firebase.storage {' }] } }),
  });
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), {
    message: 'There was an error updating rules, see logs for more details',
  });
});
