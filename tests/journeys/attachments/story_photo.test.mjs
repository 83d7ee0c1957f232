// Story: nina tells a story of the community garden with a photo. While the story waits for a
// moderator the photo is hers (and the moderators') alone, and it joins her story as the
// image its bytes are; once approved, every member sees it, and it stays the photo that was
// approved. Nobody else can slip a file into her story or show hers in theirs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { doc, serverTimestamp, updateDoc } from 'firebase/firestore';
import { deleteObject, getBytes } from 'firebase/storage';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { nominates, nominatesByHand } from '../tapestry/steps.mjs';
import { hasExif, PHOTO_WITH_GPS } from './photo.mjs';
import { fileOf, photoEntry, reviewOf, uploadsPhoto } from './steps.mjs';

let nina;
let omar;
let mod;
let story;
let photoPath;

before(async () => {
  const admin = await joins('ada');
  mod = await joins('moe');
  await makeAdmin(admin);
  await makeModerator(admin, mod);
  nina = await joins('nina');
  omar = await joins('omar');
});

after(closeAll);

test('nina tells her story and uploads its photo; the story shows it as the image it is', async () => {
  story = await nominates(nina, { title: 'The garden we planted together' });
  photoPath = `uploads/${nina.uid}/stories/${story.id}/garden.jpg`;
  await uploadsPhoto(nina, photoPath, PHOTO_WITH_GPS);
  await settled();
  const review = await until(reviewOf(nina, photoPath), (s) => s.exists(), { what: 'her upload review' });
  assert.equal(review.data().status, 'accepted');
  const told = await until(
    doc(nina.db, story.path),
    (snapshot) => snapshot.data().photo?.storagePath === photoPath,
    { what: 'the photo on her story' },
  );
  assert.deepEqual([told.data().photo.width, told.data().photo.height], [400, 300]);
  assert.equal(hasExif(await getBytes(fileOf(nina, photoPath))), false, 'no GPS left in it');
});

test('omar cannot see the photo of a story no moderator approved yet', async () => {
  await refused(getBytes(fileOf(omar, photoPath)), 'storage/unauthorized');
});

test('hostile: omar cannot put a photo into nina\'s story folder, nor hers on his own story', async () => {
  await refused(
    uploadsPhoto(omar, `uploads/${nina.uid}/stories/${story.id}/mine.jpg`, PHOTO_WITH_GPS),
    'storage/unauthorized',
  );
  const entry = photoEntry(nina, photoPath, PHOTO_WITH_GPS);
  await refused(nominatesByHand(omar, { photo: entry }));
  await refused(nominatesByHand(omar, { photo: { ...entry, ownerId: omar.uid } }));
});

test('a moderator approves the story; omar now sees its photo', async () => {
  const decided = await mod.call('decide_story', { threadId: story.id, verdict: 'approve' });
  assert.equal(decided.status, 'approved');
  await settled();
  const seen = await getBytes(fileOf(omar, photoPath));
  assert.equal(hasExif(seen), false);
});

test('hostile: once approved, nina cannot swap, delete or add to the photo that was approved', async () => {
  await refused(uploadsPhoto(nina, photoPath, PHOTO_WITH_GPS), 'storage/unauthorized');
  await refused(deleteObject(fileOf(nina, photoPath)), 'storage/unauthorized');
  const another = `uploads/${nina.uid}/stories/${story.id}/another.jpg`;
  await refused(uploadsPhoto(nina, another, PHOTO_WITH_GPS), 'storage/unauthorized');
  await refused(
    updateDoc(doc(nina.db, story.path), {
      photo: photoEntry(nina, another, PHOTO_WITH_GPS),
      updatedAt: serverTimestamp(),
    }),
  );
  const kept = (await until(doc(omar.db, story.path), (s) => s.exists(), { what: 'the story' })).data();
  assert.equal(kept.photo.storagePath, photoPath, 'the approved photo is still the story\'s');
});
