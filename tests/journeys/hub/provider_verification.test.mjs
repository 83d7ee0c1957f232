// The resource hub's providers: lea lists her association's food bank, applies to be verified as
// its provider, a moderator verifies her (the claim the rules read), she publishes; later the
// verification is revoked and her listings read unverified. Hostile twins: publishing without
// the claim, writing the verification herself, deciding one's own application, a member
// calling the moderators' callables.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signInWithEmailAndPassword } from 'firebase/auth';
import { doc, getDoc, serverTimestamp, setDoc, updateDoc } from 'firebase/firestore';

import { decideProvider, revokeProvider } from '@mitche/client';

import { closeAll, makeAdmin, makeModerator, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  applicationOf,
  appliesAsProvider,
  listsService,
  publishes,
  readsResource,
  resourceReaches,
} from './steps.mjs';

after(closeAll);

/** Revoked sessions end: the member signs in again, as the app asks them to. */
async function signsInAgain(member) {
  await signInWithEmailAndPassword(member.auth, member.email, 'correct horse battery');
  return member.refreshToken();
}

const cast = {};

before(async () => {
  cast.admin = await joins('ada');
  cast.mod = await joins('moe');
  await makeAdmin(cast.admin);
  await makeModerator(cast.admin, cast.mod);
});

test('lea lists a service as a draft but cannot publish it before she is a verified provider', async () => {
  const lea = await joins('lea');
  const resource = await listsService(lea);
  await refused(publishes(lea, resource));
  const mine = await readsResource(lea, resource);
  assert.equal(mine.status ?? 'draft', 'draft', 'the listing stays a draft');
});

test('lea cannot verify herself: the verification and the claim are the server\'s', async () => {
  const lea = await joins('lea');
  const resource = await listsService(lea);
  await refused(updateDoc(doc(lea.db, resource.path), {
    providerVerification: { status: 'verified', verifiedAt: serverTimestamp() },
    updatedAt: serverTimestamp(),
  }));
  await refused(setDoc(
    doc(lea.db, 'users', lea.uid, 'private', 'account'),
    { security: { verifiedProvider: true } },
    { merge: true },
  ));
  await appliesAsProvider(lea, resource);
  await refused(updateDoc(applicationOf(lea, resource), {
    status: 'verified',
    updatedAt: serverTimestamp(),
  }));
  await refused(
    lea.call('decide_provider', { resourceId: resource.id, verdict: 'verify' }),
    'permission-denied',
  );
});

test('a moderator verifies lea; she publishes; the application records who decided and when', async () => {
  const lea = await joins('lea');
  const resource = await listsService(lea);
  await appliesAsProvider(lea, resource);
  const outsider = await joins('oscar');
  await refused(getDoc(applicationOf(outsider, resource)));
  const decided = await decideProvider(cast.mod.client, {
    resourceId: resource.id,
    verdict: 'verify',
    note: 'Registry number checked.',
  });
  assert.deepEqual(decided, {
    resourceId: resource.id,
    applicantId: lea.uid,
    status: 'verified',
    verifiedProvider: true,
  });
  const claims = await lea.refreshToken();
  assert.equal(claims.verifiedProvider, true, 'lea holds the claim the rules read');
  await publishes(lea, resource);
  const listing = await readsResource(lea, resource);
  assert.equal(listing.status, 'active');
  assert.equal(listing.providerVerification.status, 'verified');
  const application = (await getDoc(applicationOf(lea, resource))).data();
  assert.equal(application.status, 'verified');
  assert.equal(application.decidedBy, cast.mod.uid);
  assert.ok(application.decidedAt, 'the decision is dated');
  await refused(
    decideProvider(cast.mod.client, { resourceId: resource.id, verdict: 'verify' }),
    'failed-precondition',
  );
});

test('a rejected application says why, and lea stays unable to publish', async () => {
  const lea = await joins('lea');
  const resource = await listsService(lea);
  await appliesAsProvider(lea, resource);
  await refused(
    decideProvider(cast.mod.client, { resourceId: resource.id, verdict: 'reject' }),
    'invalid-argument',
  );
  const decided = await decideProvider(cast.mod.client, {
    resourceId: resource.id,
    verdict: 'reject',
    note: 'The registry number belongs to another association.',
  });
  assert.equal(decided.status, 'rejected');
  const application = (await getDoc(applicationOf(lea, resource))).data();
  assert.equal(application.decisionNote, 'The registry number belongs to another association.');
  await lea.refreshToken();
  await refused(publishes(lea, resource));
});

test('a moderator never decides on their own application', async () => {
  const resource = await listsService(cast.mod);
  await appliesAsProvider(cast.mod, resource);
  await refused(
    decideProvider(cast.mod.client, { resourceId: resource.id, verdict: 'verify' }),
    'permission-denied',
  );
});

test('the verification is revoked: the claim goes, the listings read unverified, an old token publishes nothing', async () => {
  const lea = await joins('lea');
  const first = await listsService(lea);
  await appliesAsProvider(lea, first);
  await decideProvider(cast.mod.client, { resourceId: first.id, verdict: 'verify' });
  await lea.refreshToken();
  await publishes(lea, first);
  const second = await listsService(lea, { name: 'Second service of lea' });
  await refused(
    lea.call('revoke_provider', { uid: lea.uid, note: 'nice try' }),
    'permission-denied',
  );
  const revoked = await revokeProvider(cast.mod.client, {
    uid: lea.uid,
    note: 'The association closed.',
  });
  assert.deepEqual(revoked, { uid: lea.uid, listingsMarked: 1 });
  await settled();
  await refused(publishes(lea, second), 'permission-denied');
  const claims = await signsInAgain(lea);
  assert.equal(claims.verifiedProvider, false, 'the claim is gone');
  await refused(publishes(lea, second));
  const listing = await resourceReaches(
    lea, first, (data) => data?.providerVerification?.status === 'rejected', 'the mark',
  );
  assert.equal(listing.providerVerification.note, 'The association closed.');
  const application = (await getDoc(applicationOf(lea, first))).data();
  assert.equal(application.status, 'revoked');
});
