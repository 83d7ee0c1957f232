// Story: a member attaches a photo to her request. The platform keeps it without the place it
// was taken (members are anonymous), gives it a thumbnail, lists it on the request, and keeps
// it from people who may not read the request; files that are not what they claim are removed
// and their uploader is told why; once the request was screened the photo stays as it was
// screened; and when the request goes (her account erased), its photo goes with it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { initializeApp } from 'firebase/app';
import { doc } from 'firebase/firestore';
import { deleteObject, getBytes, getMetadata, ref, uploadBytes } from 'firebase/storage';

import { closeAll, operator, refused, settled, stack, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { postsRequest } from '../help/steps.mjs';
import { hasExif, PHOTO_WITH_GPS } from './photo.mjs';
import { fileOf, photoEntry, reviewOf, storageOf, uploadsPhoto } from './steps.mjs';

let alice;
let bob;
let request;
let photoPath;

before(async () => {
  alice = await joins('alice');
  bob = await joins('bob');
  request = await postsRequest(alice, { title: 'Fix my broken window latch' });
  photoPath = `uploads/${alice.uid}/requests/${request.id}/window.jpg`;
});

after(closeAll);

test('alice attaches a photo to her request; the request lists it as the image it really is', async () => {
  assert.ok(hasExif(PHOTO_WITH_GPS), 'the photo leaves her phone with its location');
  await uploadBytes(ref(storageOf(alice.app), photoPath), PHOTO_WITH_GPS, {
    contentType: 'image/jpeg',
  });
  await settled();
  const listed = await until(
    doc(alice.db, request.path),
    (snapshot) => (snapshot.data().attachments ?? []).some((a) => a.storagePath === photoPath),
    { what: 'the photo listed on the request' },
  );
  const attachment = listed.data().attachments.find((a) => a.storagePath === photoPath);
  assert.equal(attachment.contentType, 'image/jpeg');
  assert.deepEqual([attachment.width, attachment.height], [400, 300]);
  const review = await until(reviewOf(alice, photoPath), (s) => s.exists(), { what: 'her upload review' });
  assert.equal(review.data().status, 'accepted');
});

test('the stored photo no longer says where it was taken, and has a thumbnail beside it', async () => {
  const stored = await getBytes(ref(storageOf(alice.app), photoPath));
  assert.equal(hasExif(stored), false, 'no EXIF block, so no GPS coordinates');
  const thumbnail = `uploads/${alice.uid}/requests/${request.id}/thumb-window.jpg`;
  const metadata = await getMetadata(ref(storageOf(bob.app), thumbnail));
  assert.equal(metadata.contentType, 'image/jpeg');
  assert.ok(metadata.size < stored.byteLength, 'the thumbnail is smaller than the photo');
});

test('bob, a member of the community, sees the photo of a community request', async () => {
  const seen = await getBytes(ref(storageOf(bob.app), photoPath));
  assert.ok(seen.byteLength > 0);
});

test('a visitor who is not signed in cannot read the original', async () => {
  const visitor = initializeApp({ projectId: stack.project, apiKey: 'journeys-api-key' }, `visitor-${randomUUID()}`);
  await refused(getBytes(ref(storageOf(visitor), photoPath)), 'storage/unauthorized');
});

test('hostile: bob cannot put a file into alice\'s folder', async () => {
  const intruding = `uploads/${alice.uid}/requests/${request.id}/not-alices.jpg`;
  await refused(
    uploadBytes(ref(storageOf(bob.app), intruding), PHOTO_WITH_GPS, { contentType: 'image/jpeg' }),
    'storage/unauthorized',
  );
});

test('hostile: bob cannot slip a file past the checks by marking it as already processed', async () => {
  const marked = `uploads/${bob.uid}/requests/${randomUUID()}/marked.jpg`;
  await refused(
    uploadBytes(ref(storageOf(bob.app), marked), PHOTO_WITH_GPS, {
      contentType: 'image/jpeg',
      customMetadata: { mitcheProcessed: 'clean' },
    }),
    'storage/unauthorized',
  );
});

test('hostile: a script sent as a photo is removed, and bob is told why', async () => {
  const disguised = `uploads/${bob.uid}/requests/${randomUUID()}/holiday.jpg`;
  await uploadBytes(ref(storageOf(bob.app), disguised), Buffer.from('#!/bin/sh\necho owned\n'), {
    contentType: 'image/jpeg',
  });
  await settled();
  const review = await until(reviewOf(bob, disguised), (s) => s.exists(), { what: 'his upload review' });
  assert.equal(review.data().status, 'rejected');
  assert.equal(review.data().reason, 'the file is not a JPEG, PNG, WebP or GIF image or a PDF');
  await refused(getMetadata(ref(storageOf(bob.app), disguised)), 'storage/object-not-found');
});

test('hostile: once her request was screened, alice cannot swap its photo for another', async () => {
  await until(
    doc(alice.db, request.path),
    (snapshot) => snapshot.data().moderation?.status === 'approved',
    { what: 'the request screened and approved' },
  );
  await refused(uploadsPhoto(alice, photoPath, Buffer.from(PHOTO_WITH_GPS)), 'storage/unauthorized');
  await refused(deleteObject(fileOf(alice, photoPath)), 'storage/unauthorized');
  const kept = await getBytes(fileOf(bob, photoPath));
  assert.equal(hasExif(kept), false, 'the screened photo is still the one readers see');
});

test('hostile: bob cannot show alice\'s photo on a request of his own', async () => {
  const entry = photoEntry(alice, photoPath, PHOTO_WITH_GPS);
  await refused(postsRequest(bob, { attachments: [entry] }));
  await refused(postsRequest(bob, { attachments: [{ ...entry, ownerId: bob.uid }] }));
});

test('hostile: bob cannot list a photo of another request of his on this one', async () => {
  const elsewhere = `uploads/${bob.uid}/requests/${randomUUID()}/mine.jpg`;
  await uploadsPhoto(bob, elsewhere, PHOTO_WITH_GPS);
  await refused(postsRequest(bob, { attachments: [photoEntry(bob, elsewhere, PHOTO_WITH_GPS)] }));
  await settled();
});

test('alice erases her account: her request goes, and its photo and thumbnail with it', async () => {
  const started = await alice.call('delete_account', {});
  assert.equal(started.phase, 'disable');
  await settled();
  await refused(getMetadata(fileOf(bob, photoPath)), 'storage/unauthorized');
  const scan = await operator('scan-member', '--uid', alice.uid, '--bucket', `${stack.project}.appspot.com`);
  assert.deepEqual(scan.findings, [], 'no document or file of hers is left: no request, no photo');
  assert.equal(scan.clean, true);
});
