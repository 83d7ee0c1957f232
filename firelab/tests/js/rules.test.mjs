// Security Rules through @firebase/rules-unit-testing, as an app's rules tests drive them: rules
// loaded by initializeTestEnvironment, users as unsigned mock tokens, seeding with rules
// disabled, clearFirestore between tests, and allow and deny through reads, list queries,
// writes, batches, transactions and listeners.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
} from '@firebase/rules-unit-testing';
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  increment,
  limit,
  onSnapshot,
  orderBy,
  query,
  runTransaction,
  setDoc,
  updateDoc,
  where,
  writeBatch,
} from 'firebase/firestore';

import { host, port } from './helpers.mjs';

const PROJECT = 'demo-js-rules';

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function signedIn() { return request.auth != null; }
    function isUser(uid) { return signedIn() && request.auth.uid == uid; }
    function isModerator() { return signedIn() && request.auth.token.moderator == true; }

    // Notes: the owner reads and lists their own, creates them in their own name and edits
    // only the text; nobody deletes one.
    match /notes/{id} {
      allow get, list: if isUser(resource.data.owner);
      allow create: if isUser(request.resource.data.owner) && request.resource.data.text is string;
      allow update: if isUser(resource.data.owner)
        && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['text']);
      allow delete: if false;
    }

    // Posts: anyone reads published posts; moderators (a custom claim) read and write all.
    match /posts/{id} {
      allow read: if resource.data.published == true || isModerator();
      allow write: if isModerator();
    }

    // Rooms: the members listed in a room read it and read and add its messages.
    match /rooms/{room} {
      allow read: if signedIn() && request.auth.uid in resource.data.members;
      match /messages/{message} {
        allow read, create: if signedIn()
          && request.auth.uid in get(/databases/$(database)/documents/rooms/$(room)).data.members;
      }
    }

    // Comments anywhere: their author reads them, through collection-group queries too.
    match /{path=**}/comments/{id} {
      allow read: if isUser(resource.data.by);
    }

    // Counters: a signed-in user with a verified email adds exactly one.
    match /counters/{id} {
      allow read: if signedIn();
      allow update: if signedIn() && request.auth.token.email_verified == true
        && request.resource.data.n == resource.data.n + 1;
    }
  }
}
`;

let env;
let alice;
let bob;
let visitor;
let moderator;

before(async () => {
  env = await initializeTestEnvironment({
    projectId: PROJECT,
    firestore: { host, port, rules: RULES },
  });
  alice = env
    .authenticatedContext('alice', { email: 'alice@example.com', email_verified: true })
    .firestore();
  bob = env.authenticatedContext('bob').firestore();
  visitor = env.unauthenticatedContext().firestore();
  moderator = env.authenticatedContext('mod', { moderator: true }).firestore();
});

after(async () => {
  await env.cleanup();
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore();
    const batch = writeBatch(db);
    batch.set(doc(db, 'notes/a1'), { owner: 'alice', text: 'first' });
    batch.set(doc(db, 'notes/a2'), { owner: 'alice', text: 'second' });
    batch.set(doc(db, 'notes/b1'), { owner: 'bob', text: 'bob' });
    batch.set(doc(db, 'posts/p1'), { published: true, title: 'out' });
    batch.set(doc(db, 'posts/p2'), { published: false, title: 'draft' });
    batch.set(doc(db, 'rooms/r1'), { members: ['alice'] });
    batch.set(doc(db, 'rooms/r1/messages/m1'), { by: 'alice', text: 'hi' });
    batch.set(doc(db, 'counters/c'), { n: 0 });
    batch.set(doc(db, 'notes/a1/comments/k1'), { by: 'alice' });
    batch.set(doc(db, 'rooms/r1/comments/k2'), { by: 'alice' });
    batch.set(doc(db, 'notes/b1/comments/k3'), { by: 'bob' });
    await batch.commit();
  });
});

/** What the rules-disabled client sees at `path` (null when missing). */
async function stored(path) {
  let data = null;
  await env.withSecurityRulesDisabled(async (context) => {
    const snapshot = await getDoc(doc(context.firestore(), path));
    data = snapshot.exists() ? snapshot.data() : null;
  });
  return data;
}

test('rules loaded by initializeTestEnvironment decide: a visitor is refused a note', async () => {
  await assertFails(getDoc(doc(visitor, 'notes/a1')));
});

test('a user gets their own note and is refused another user\'s', async () => {
  const snapshot = await assertSucceeds(getDoc(doc(alice, 'notes/a1')));
  assert.deepEqual(snapshot.data(), { owner: 'alice', text: 'first' });
  await assertFails(getDoc(doc(bob, 'notes/a1')));
});

test('a missing document is refused when the rule reads resource.data', async () => {
  await assertFails(getDoc(doc(alice, 'notes/missing')));
});

test('a list query passes only with the constraint the rule needs', async () => {
  const own = await assertSucceeds(
    getDocs(query(collection(alice, 'notes'), where('owner', '==', 'alice'))),
  );
  assert.deepEqual(own.docs.map((d) => d.id), ['a1', 'a2']);
  await assertFails(getDocs(collection(alice, 'notes')));
  await assertFails(getDocs(query(collection(alice, 'notes'), where('owner', '==', 'bob'))));
  await assertFails(getDocs(query(collection(visitor, 'notes'), where('owner', '==', 'alice'))));
});

test('ordering and limits keep a constrained query allowed', async () => {
  const page = await assertSucceeds(
    getDocs(
      query(
        collection(alice, 'notes'),
        where('owner', '==', 'alice'),
        orderBy('text', 'desc'),
        limit(1),
      ),
    ),
  );
  assert.deepEqual(page.docs.map((d) => d.id), ['a2']);
});

test('a visitor lists published posts only when the query asks for them', async () => {
  const published = await assertSucceeds(
    getDocs(query(collection(visitor, 'posts'), where('published', '==', true))),
  );
  assert.deepEqual(published.docs.map((d) => d.id), ['p1']);
  await assertFails(getDocs(collection(visitor, 'posts')));
});

test('a custom claim in the mock token is request.auth.token', async () => {
  const all = await assertSucceeds(getDocs(collection(moderator, 'posts')));
  assert.deepEqual(all.docs.map((d) => d.id), ['p1', 'p2']);
  await assertSucceeds(setDoc(doc(moderator, 'posts/p3'), { published: false }));
  await assertFails(setDoc(doc(alice, 'posts/p4'), { published: true }));
});

test('creates are allowed in the user\'s own name with valid data only', async () => {
  await assertSucceeds(setDoc(doc(alice, 'notes/a3'), { owner: 'alice', text: 'third' }));
  await assertFails(setDoc(doc(alice, 'notes/a4'), { owner: 'bob', text: 'forged' }));
  await assertFails(setDoc(doc(alice, 'notes/a5'), { owner: 'alice', text: 5 }));
  await assertFails(setDoc(doc(visitor, 'notes/v1'), { owner: 'alice', text: 'anon' }));
  assert.deepEqual(await stored('notes/a3'), { owner: 'alice', text: 'third' });
  assert.equal(await stored('notes/a4'), null);
});

test('updates may change only what the rule lets through, and deletes are refused', async () => {
  await assertSucceeds(updateDoc(doc(alice, 'notes/a1'), { text: 'edited' }));
  await assertFails(updateDoc(doc(alice, 'notes/a1'), { owner: 'bob' }));
  await assertFails(updateDoc(doc(bob, 'notes/a1'), { text: 'hijacked' }));
  await assertFails(deleteDoc(doc(alice, 'notes/a1')));
  assert.deepEqual(await stored('notes/a1'), { owner: 'alice', text: 'edited' });
});

test('get() in a rule reads another document: members read and post messages', async () => {
  await assertSucceeds(getDocs(collection(alice, 'rooms/r1/messages')));
  await assertSucceeds(setDoc(doc(alice, 'rooms/r1/messages/m2'), { by: 'alice' }));
  await assertFails(getDocs(collection(bob, 'rooms/r1/messages')));
  await assertFails(setDoc(doc(bob, 'rooms/r1/messages/m3'), { by: 'bob' }));
});

test('a collection-group query needs a recursive-wildcard rule and its constraint', async () => {
  const own = await assertSucceeds(
    getDocs(query(collectionGroup(alice, 'comments'), where('by', '==', 'alice'))),
  );
  assert.deepEqual(own.docs.map((d) => d.ref.path), ['notes/a1/comments/k1', 'rooms/r1/comments/k2']);
  await assertFails(getDocs(collectionGroup(alice, 'comments')));
  await assertFails(
    getDocs(query(collectionGroup(alice, 'notes'), where('owner', '==', 'alice'))),
  );
});

test('a batch with one denied write fails as a whole and writes nothing', async () => {
  const allowed = writeBatch(alice);
  allowed.set(doc(alice, 'notes/a6'), { owner: 'alice', text: 'six' });
  allowed.update(doc(alice, 'notes/a1'), { text: 'batched' });
  await assertSucceeds(allowed.commit());

  const mixed = writeBatch(alice);
  mixed.set(doc(alice, 'notes/a7'), { owner: 'alice', text: 'seven' });
  mixed.set(doc(alice, 'notes/b2'), { owner: 'bob', text: 'forged' });
  await assertFails(mixed.commit());

  assert.deepEqual(await stored('notes/a6'), { owner: 'alice', text: 'six' });
  assert.deepEqual(await stored('notes/a1'), { owner: 'alice', text: 'batched' });
  assert.equal(await stored('notes/a7'), null);
  assert.equal(await stored('notes/b2'), null);
});

test('a transaction that reads and writes what the rules allow commits', async () => {
  const text = await assertSucceeds(
    runTransaction(alice, async (transaction) => {
      const note = await transaction.get(doc(alice, 'notes/a1'));
      transaction.update(doc(alice, 'notes/a1'), { text: `${note.data().text}!` });
      transaction.set(doc(alice, 'notes/a8'), { owner: 'alice', text: 'eight' });
      return note.data().text;
    }),
  );
  assert.equal(text, 'first');
  assert.deepEqual(await stored('notes/a1'), { owner: 'alice', text: 'first!' });
  assert.deepEqual(await stored('notes/a8'), { owner: 'alice', text: 'eight' });
});

test('a transaction reading a denied document fails', async () => {
  await assertFails(
    runTransaction(bob, async (transaction) => {
      await transaction.get(doc(bob, 'notes/a1'));
      transaction.set(doc(bob, 'notes/b3'), { owner: 'bob', text: 'three' });
    }),
  );
  assert.equal(await stored('notes/b3'), null);
});

test('a transaction with a denied write fails and writes nothing', async () => {
  await assertFails(
    runTransaction(alice, async (transaction) => {
      await transaction.get(doc(alice, 'notes/a1'));
      transaction.update(doc(alice, 'notes/a1'), { text: 'lost' });
      transaction.set(doc(alice, 'notes/b4'), { owner: 'bob', text: 'forged' });
    }),
  );
  assert.deepEqual(await stored('notes/a1'), { owner: 'alice', text: 'first' });
  assert.equal(await stored('notes/b4'), null);
});

test('rules compare the new value with the stored one inside transactions and updates', async () => {
  await assertSucceeds(
    runTransaction(alice, async (transaction) => {
      const counter = await transaction.get(doc(alice, 'counters/c'));
      transaction.update(doc(alice, 'counters/c'), { n: counter.data().n + 1 });
    }),
  );
  await assertSucceeds(updateDoc(doc(alice, 'counters/c'), { n: increment(1) }));
  await assertFails(updateDoc(doc(alice, 'counters/c'), { n: increment(2) }));
  await assertFails(updateDoc(doc(bob, 'counters/c'), { n: increment(1) }));
  assert.deepEqual(await stored('counters/c'), { n: 2 });
});

test('a listener on an allowed query receives changes; one on a denied query errors', async () => {
  const snapshots = [];
  let resolveOne;
  let resolveTwo;
  const one = new Promise((resolve) => {
    resolveOne = resolve;
  });
  const two = new Promise((resolve) => {
    resolveTwo = resolve;
  });
  const unsubscribe = onSnapshot(
    query(collection(alice, 'notes'), where('owner', '==', 'alice')),
    (snapshot) => {
      if (snapshot.metadata.fromCache) return;
      snapshots.push(snapshot.docs.map((d) => d.id));
      if (snapshots.length === 1) resolveOne();
      if (snapshots.length === 2) resolveTwo();
    },
  );
  try {
    await one;
    await setDoc(doc(alice, 'notes/a9'), { owner: 'alice', text: 'nine' });
    await two;
    assert.deepEqual(snapshots.slice(-1), [['a1', 'a2', 'a9']]);
  } finally {
    unsubscribe();
  }
  const error = await new Promise((resolve) => {
    onSnapshot(
      collection(bob, 'notes'),
      () => {},
      (e) => resolve(e),
    );
  });
  assert.equal(error.code, 'permission-denied');
});

test('withSecurityRulesDisabled reads and writes everything', async () => {
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore();
    const notes = await getDocs(collection(db, 'notes'));
    assert.deepEqual(notes.docs.map((d) => d.id), ['a1', 'a2', 'b1']);
    await deleteDoc(doc(db, 'notes/b1'));
  });
  assert.equal(await stored('notes/b1'), null);
});

test('clearFirestore deletes every document of the project', async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore();
    for (const name of ['notes', 'posts', 'rooms', 'counters']) {
      assert.equal((await getDocs(collection(db, name))).size, 0, name);
    }
    for (const name of ['messages', 'comments']) {
      assert.equal((await getDocs(collectionGroup(db, name))).size, 0, name);
    }
  });
});
