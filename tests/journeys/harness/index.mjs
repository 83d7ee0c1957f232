// The journeys' harness: members of Mitché as a client app makes them, with the firebase JS SDK
// (v12, modular API), against the local stack that tests/journeys/test_journeys.py starts.
//
// A member signs up through the Auth emulator, verifies their email the way a person clicks
// the link, and gets a firebase App of their own (auth, firestore, functions), so every read and
// write goes through firestore.rules as that member. Nothing here holds an admin client: the
// first admin is made by the operator's setup command (`grant-role`), moderators by an admin
// through the `setMemberRole` callable, as in production.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { deleteApp, initializeApp } from 'firebase/app';
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  sendEmailVerification,
  applyActionCode,
} from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore, onSnapshot, terminate } from 'firebase/firestore';
import { connectFunctionsEmulator, getFunctions, httpsCallable } from 'firebase/functions';

import { mitcheClient, setMemberRole } from '@mitche/client';

/** Where the stack runs, as test_journeys.py passes it. */
export const stack = Object.freeze({
  project: required('JOURNEY_PROJECT'),
  firestore: required('FIRESTORE_EMULATOR_HOST'),
  auth: required('FIREBASE_AUTH_EMULATOR_HOST'),
  functions: required('JOURNEY_FUNCTIONS_URL'),
  python: required('JOURNEY_PYTHON'),
  region: process.env.JOURNEY_FUNCTIONS_REGION || 'us-central1',
});

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the journeys with scripts/test tests/journeys`);
  return value;
}

const [firestoreHost, firestorePort] = splitHost(stack.firestore);
const [functionsHost, functionsPort] = splitHost(new URL(stack.functions).host);
const openApps = new Set();

function splitHost(address) {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

/**
 * A new member of the platform, signed up and signed in with their own app. `name` makes their
 * email readable in failures; every sign-up is a fresh account. With `verified` (the default)
 * they confirm their email through the emulator's out-of-band code, as a person would.
 */
export async function signUp(name, { verified = true } = {}) {
  const app = initializeApp(
    { projectId: stack.project, apiKey: 'journeys-api-key' },
    `${name}-${randomUUID()}`,
  );
  openApps.add(app);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${stack.auth}`, { disableWarnings: true });
  const db = getFirestore(app);
  connectFirestoreEmulator(db, firestoreHost, firestorePort);
  const functions = getFunctions(app, stack.region);
  connectFunctionsEmulator(functions, functionsHost, functionsPort);
  const email = `${name}-${randomUUID().slice(0, 8)}@example.org`;
  const credential = await createUserWithEmailAndPassword(auth, email, 'correct horse battery');
  const member = {
    name,
    email,
    uid: credential.user.uid,
    app,
    auth,
    db,
    functions,
    /** The member's `@mitche/client` client: honest steps go through its flows, queries and
     * callables. */
    client: mitcheClient({ db, functions, auth }),
    /** Fetch a new ID token, as the apps do after the backend changed the member's claims. */
    async refreshToken() {
      await auth.currentUser.getIdToken(true);
      return (await auth.currentUser.getIdTokenResult()).claims;
    },
    /** Call a callable by name as this member, with the raw SDK (hostile twins: what the
     * library's typed wrappers would not send); resolves to its `data`. */
    async call(functionName, data) {
      const result = await httpsCallable(functions, functionName)(data);
      return result.data;
    },
  };
  if (verified) await verifyEmail(member);
  return member;
}

/** The member confirms their email with the code the Auth emulator "sent" them. */
export async function verifyEmail(member) {
  await sendEmailVerification(member.auth.currentUser);
  const response = await fetch(
    `http://${stack.auth}/emulator/v1/projects/${stack.project}/oobCodes`,
  );
  assert.equal(response.status, 200, 'the Auth emulator lists its out-of-band codes');
  const { oobCodes } = await response.json();
  const code = oobCodes
    .filter((entry) => entry.email === member.email && entry.requestType === 'VERIFY_EMAIL')
    .at(-1);
  assert.ok(code, `a verification email was sent to ${member.email}`);
  await applyActionCode(member.auth, code.oobCode);
  await member.auth.currentUser.reload();
  await member.refreshToken();
}

/** Wait until every trigger caused so far has run (the local functions runtime's idle state). */
export async function settled() {
  const response = await fetch(`${stack.functions}/__firelab/idle?timeout=60`, { method: 'POST' });
  const body = await response.json();
  assert.deepEqual(body, { idle: true, pending: 0 }, 'the functions finished their work');
  const failures = await (await fetch(`${stack.functions}/__firelab/failures`)).json();
  assert.deepEqual(failures, [], 'no function failed');
}

/**
 * Wait until the document or query `ref` (as `member` may read it) satisfies `predicate`, by
 * listening to it; resolves to the snapshot that did. Fails with the last snapshot seen when
 * the state is not reached within `timeoutMs` (a safety net, not a measurement).
 */
export function until(ref, predicate, { timeoutMs = 20000, what = 'the expected state' } = {}) {
  return new Promise((resolve, reject) => {
    let last;
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      const seen = last === undefined ? 'nothing' : JSON.stringify(describe(last));
      reject(new Error(`timed out waiting for ${what}; last seen: ${seen}`));
    }, timeoutMs);
    unsubscribe = onSnapshot(
      ref,
      (snapshot) => {
        last = snapshot;
        if (predicate(snapshot)) {
          clearTimeout(timer);
          unsubscribe();
          resolve(snapshot);
        }
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function describe(snapshot) {
  if ('docs' in snapshot) return snapshot.docs.map((doc) => ({ id: doc.id, ...doc.data() }));
  return snapshot.exists() ? snapshot.data() : null;
}

/** Assert that `promise` (a write, read or call) is refused with `code` (a Firestore or
 * Functions error code such as 'permission-denied'). */
export async function refused(promise, code = 'permission-denied') {
  await assert.rejects(promise, (error) => {
    assert.ok(
      String(error.code).endsWith(code),
      `expected ${code}, got ${error.code}: ${error.message}`,
    );
    return true;
  });
}

/**
 * Run one of Mitché's operator commands (`python -m mitche.commands ...`) against the stack, as
 * an operator does on a production project; resolves to its JSON outcome.
 */
export function operator(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(stack.python, ['-m', 'mitche.commands', ...args], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // The outcome is the last JSON document printed; log lines (one JSON object each) precede it.
      if (code === 0) resolve(JSON.parse(out.slice(out.lastIndexOf('\n{\n') + 1)));
      else reject(new Error(`mitche.commands ${args.join(' ')} exited ${code}: ${err || out}`));
    });
  });
}

/** The operator makes `member` an admin (how a production project gets its first admin). */
export async function makeAdmin(member) {
  await operator('grant-role', '--uid', member.uid, '--role', 'admin');
  const claims = await member.refreshToken();
  assert.equal(claims.role, 'admin', `${member.name} signs in as an admin`);
}

/** `admin` names `member` a moderator through the set_member_role callable (the library's
 * `setMemberRole`). */
export async function makeModerator(admin, member) {
  await setMemberRole(admin.client, { uid: member.uid, role: 'moderator' });
  const claims = await member.refreshToken();
  assert.equal(claims.role, 'moderator', `${member.name} signs in as a moderator`);
}

/** Sign everyone out and close their apps, so the Node process can exit. */
export async function closeAll() {
  for (const app of openApps) {
    await terminate(getFirestore(app)).catch(() => {});
    await deleteApp(app).catch(() => {});
  }
  openApps.clear();
}
