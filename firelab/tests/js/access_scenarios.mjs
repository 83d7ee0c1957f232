// Security Rules decided for the callers of any SDK build: the rules loaded as
// rules-unit-testing loads them (PUT …:securityRules), users as the unsigned mock tokens its
// contexts carry, seeding as the owner. Over WebChannel the token travels in the handshake's
// `headers` field; transactions go over REST.
import assert from 'node:assert/strict';

import { baseUrl, request } from './helpers.mjs';

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function isUser(uid) { return request.auth != null && request.auth.uid == uid; }

    // Notes: the owner reads, lists and writes their own; the text must be a string.
    match /notes/{id} {
      allow read: if isUser(resource.data.owner);
      allow create, update: if isUser(request.resource.data.owner)
        && request.resource.data.text is string;
    }
  }
}
`;

async function loadRules(projectId) {
  const response = await fetch(`${baseUrl}/emulator/v1/projects/${projectId}:securityRules`, {
    method: 'PUT',
    body: JSON.stringify({ rules: { files: [{ content: RULES }] } }),
  });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).issues, undefined);
}

/** Rejects unless `promise` fails with permission-denied (rules-unit-testing's assertFails). */
async function refused(promise) {
  await assert.rejects(promise, (error) => error.code === 'permission-denied');
}

/**
 * Registers the access checks as node:test tests on a project of their own; `hooks` are
 * node:test's `test`, `before` and `after`.
 */
export function registerAccessChecks({ test, before, after }, sdk, projectId) {
  const { fs } = sdk;
  const clients = [];
  let owner;
  let alice;
  let bob;
  let visitor;

  const stored = async (path) => {
    const snapshot = await fs.getDocFromServer(fs.doc(owner, path));
    return snapshot.exists() ? snapshot.data() : null;
  };
  const client = (token) => {
    const made = sdk.client(projectId, token);
    clients.push(made);
    return made.db;
  };

  before(async () => {
    await loadRules(projectId);
    await request('DELETE', `/emulator/v1/projects/${projectId}/databases/(default)/documents`);
    owner = client('owner');
    alice = client({ sub: 'alice', email: 'alice@example.com' });
    bob = client({ sub: 'bob' });
    visitor = client(undefined);
    const batch = fs.writeBatch(owner);
    batch.set(fs.doc(owner, 'notes/a1'), { owner: 'alice', text: 'first' });
    batch.set(fs.doc(owner, 'notes/b1'), { owner: 'bob', text: 'bob' });
    await batch.commit();
  });

  after(async () => {
    for (const made of clients) await made.close();
  });

  test('a user reads their own document and is refused another user\'s', async () => {
    const own = await fs.getDocFromServer(fs.doc(alice, 'notes/a1'));
    assert.deepEqual(own.data(), { owner: 'alice', text: 'first' });
    await refused(fs.getDocFromServer(fs.doc(alice, 'notes/b1')));
    await refused(fs.getDocFromServer(fs.doc(visitor, 'notes/a1')));
  });

  test('a list query passes only with the constraint the rule needs', async () => {
    const notes = fs.collection(alice, 'notes');
    const own = await fs.getDocsFromServer(fs.query(notes, fs.where('owner', '==', 'alice')));
    assert.deepEqual(own.docs.map((d) => d.id), ['a1']);
    await refused(fs.getDocsFromServer(notes));
  });

  test('a listener on a refused query receives permission-denied', async () => {
    const error = await new Promise((resolve) => {
      fs.onSnapshot(fs.collection(bob, 'notes'), () => {}, resolve);
    });
    assert.equal(error.code, 'permission-denied');
  });

  test('writes in the user\'s own name are acknowledged; forged ones are refused', async () => {
    await fs.setDoc(fs.doc(alice, 'notes/a2'), { owner: 'alice', text: 'second' });
    await refused(fs.setDoc(fs.doc(alice, 'notes/a3'), { owner: 'bob', text: 'forged' }));
    await refused(fs.setDoc(fs.doc(alice, 'notes/a4'), { owner: 'alice', text: 4 }));
    assert.deepEqual(await stored('notes/a2'), { owner: 'alice', text: 'second' });
    assert.equal(await stored('notes/a3'), null);
  });

  test('a batch with one refused write writes nothing', async () => {
    const batch = fs.writeBatch(alice);
    batch.set(fs.doc(alice, 'notes/a5'), { owner: 'alice', text: 'five' });
    batch.set(fs.doc(alice, 'notes/b5'), { owner: 'bob', text: 'forged' });
    await refused(batch.commit());
    assert.equal(await stored('notes/a5'), null);
  });

  test('transactions commit what the rules allow and fail on what they refuse', async () => {
    const text = await fs.runTransaction(alice, async (transaction) => {
      const note = await transaction.get(fs.doc(alice, 'notes/a1'));
      transaction.update(fs.doc(alice, 'notes/a1'), { text: `${note.data().text}!` });
      return note.data().text;
    });
    assert.equal(text, 'first');
    assert.deepEqual(await stored('notes/a1'), { owner: 'alice', text: 'first!' });
    await refused(
      fs.runTransaction(bob, async (transaction) => {
        await transaction.get(fs.doc(bob, 'notes/a1'));
      }),
    );
    await refused(
      fs.runTransaction(alice, async (transaction) => {
        await transaction.get(fs.doc(alice, 'notes/a1'));
        transaction.set(fs.doc(alice, 'notes/b6'), { owner: 'bob', text: 'forged' });
      }),
    );
    assert.equal(await stored('notes/b6'), null);
  });
}
