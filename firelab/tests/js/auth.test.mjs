// results/sdk-auth-official: what a signed-in user (rules-unit-testing's unsigned mock token), a
// signed-out user, a rules-disabled client (`Bearer owner`) and an administrator can read,
// write, listen to and list when the project has no rules loaded, compared with the official
// emulator step by step. The administrator is the web SDK with the owner token, and lists
// collection IDs over REST as the Admin SDKs do (the web SDK cannot list them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { initializeTestEnvironment } from '@firebase/rules-unit-testing';
import { collection, doc, getDoc, getDocs, onSnapshot, setDoc } from 'firebase/firestore';

import { baseUrl, host, officialRecording, port, serverSnapshot } from './helpers.mjs';
import { loadSdk } from './sdk.mjs';

const PROJECT = 'demo-js-auth';

let env;
let admin;

before(async () => {
  env = await initializeTestEnvironment({ projectId: PROJECT, firestore: { host, port } });
  await env.clearFirestore();
  admin = (await loadSdk('grpc')).client(PROJECT, 'owner');
});

after(async () => {
  await admin.close();
  await env.cleanup();
});

async function listCollectionIds() {
  const url = `${baseUrl}/v1/projects/${PROJECT}/databases/(default)/documents:listCollectionIds`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(response.status, 200);
  return (await response.json()).collectionIds;
}

test('without rules every caller gets what the official emulator gave', async () => {
  const alice = env
    .authenticatedContext('alice', { email: 'alice@example.com', email_verified: true })
    .firestore();
  const signedOut = env.unauthenticatedContext().firestore();
  const steps = [];
  const step = async (name, action) => {
    try {
      steps.push({ step: name, result: await action() });
    } catch (error) {
      steps.push({ step: name, error: error.code ?? String(error) });
    }
  };

  await step('user writes c/a', async () => {
    await setDoc(doc(alice, 'c/a'), { by: 'alice' });
    return 'ok';
  });
  await step('user reads c/a', async () => (await getDoc(doc(alice, 'c/a'))).data());
  await step('user listens to c', async () => {
    const snapshot = await serverSnapshot((next, error) =>
      onSnapshot(collection(alice, 'c'), { includeMetadataChanges: true }, next, error),
    );
    return snapshot.docs.map((d) => d.id);
  });
  await step('signed-out user reads c/a', async () => (await getDoc(doc(signedOut, 'c/a'))).data());
  await step('signed-out user queries c', async () =>
    (await getDocs(collection(signedOut, 'c'))).docs.map((d) => d.id),
  );
  await step('rules disabled writes c/b', async () => {
    await env.withSecurityRulesDisabled((context) =>
      setDoc(doc(context.firestore(), 'c/b'), { by: 'owner' }),
    );
    return 'ok';
  });
  await step('rules disabled lists c', async () => {
    let ids;
    await env.withSecurityRulesDisabled(async (context) => {
      ids = (await getDocs(collection(context.firestore(), 'c'))).docs.map((d) => d.id);
    });
    return ids;
  });
  await step('Admin SDK lists collections', listCollectionIds);
  await step('Admin SDK reads c', async () =>
    (await getDocs(collection(admin.db, 'c'))).docs.map((d) => [d.id, d.data()]),
  );

  assert.deepEqual(steps, await officialRecording('sdk-auth-official-v1.22.0.json'));
});
