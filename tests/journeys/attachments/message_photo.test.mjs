// Story: lea sends max a photo in the conversation about her request. Her app sends the message
// naming the photo, then uploads the photo below it; max, who was in the conversation when she sent it, sees it (without the place it was
// taken); a stranger does not, nor does nils, whom lea adds to the conversation afterwards: a
// message's file is read by the message's own participants, not by whoever joins later. What
// was sent stays as it was sent, and nobody can pass another member's file off as their own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { sendMessage } from '@mitche/client';
import { collection, doc, getDoc, serverTimestamp, updateDoc } from 'firebase/firestore';
import { deleteObject, getBytes, getMetadata } from 'firebase/storage';

import { closeAll, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { createsStamped, postsRequest, stampedBatch } from '../help/steps.mjs';
import { hasExif, PHOTO_WITH_GPS } from './photo.mjs';
import { fileOf, photoEntry, reviewOf, uploadsPhoto } from './steps.mjs';

let lea;
let max;
let nils;
let sam;
let conversation;
let message;
let photoPath;

/** `member` sends a photo message whose file is `entry` (the message `ref`, named beforehand). */
async function sendsPhoto(member, ref, entry) {
  const found = await getDoc(doc(member.db, conversation.path));
  const batch = stampedBatch(member, 'lastMessage', ref);
  batch.set(ref, {
    conversationId: conversation.id,
    participantIds: found.data().participantIds,
    senderId: member.uid,
    messageType: 'image',
    attachment: entry,
    createdAt: serverTimestamp(),
  });
  await batch.commit();
  return ref;
}

/** A new message id below which `member` files the message's upload. */
function newMessage(member) {
  return doc(collection(member.db, 'messages'));
}

before(async () => {
  lea = await joins('lea');
  max = await joins('max');
  nils = await joins('nils');
  sam = await joins('sam');
  const request = await postsRequest(lea, { title: 'Which of these shelves is broken?' });
  conversation = doc(collection(lea.db, 'conversations'));
  await createsStamped(lea, 'lastConversation', conversation, {
    conversationType: 'request',
    createdBy: lea.uid,
    participantIds: [lea.uid, max.uid],
    title: 'Shelves',
    context: doc(lea.db, request.path),
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
});

after(closeAll);

test('lea sends a photo message and uploads its photo below it; the message shows what the bytes are', async () => {
  message = newMessage(lea);
  photoPath = `uploads/${lea.uid}/messages/${conversation.id}/${message.id}/shelves.jpg`;
  const found = await getDoc(doc(lea.db, conversation.path));
  const sent = await sendMessage(lea.client, {
    messageId: message.id,
    conversationId: conversation.id,
    participantIds: found.data().participantIds,
    messageType: 'image',
    attachment: photoEntry(lea, photoPath, PHOTO_WITH_GPS),
  });
  assert.equal(sent.messageId, message.id, 'the message has the id her app chose for its photo');
  await uploadsPhoto(lea, photoPath, PHOTO_WITH_GPS);
  await settled();
  const review = await until(reviewOf(lea, photoPath), (s) => s.exists(), { what: 'her upload review' });
  assert.equal(review.data().status, 'accepted');
  const measured = await until(
    doc(lea.db, message.path),
    (snapshot) => snapshot.data().attachment?.width === 400,
    { what: 'the attachment measured from the bytes' },
  );
  assert.equal(measured.data().attachment.height, 300);
  assert.ok(measured.data().attachment.sizeBytes < PHOTO_WITH_GPS.byteLength, 'stored without EXIF');
});

test('max, in the conversation when she sent it, sees the photo and its thumbnail, without GPS', async () => {
  await until(
    doc(max.db, message.path),
    (snapshot) => snapshot.data().moderation?.status === 'approved',
    { what: 'the message screened and shown to max' },
  );
  const seen = await getBytes(fileOf(max, photoPath));
  assert.equal(hasExif(seen), false);
  const thumbnail = `uploads/${lea.uid}/messages/${conversation.id}/${message.id}/thumb-shelves.jpg`;
  assert.equal((await getMetadata(fileOf(max, thumbnail))).contentType, 'image/jpeg');
});

test('sam, who is not in the conversation, cannot read the photo', async () => {
  await refused(getBytes(fileOf(sam, photoPath)), 'storage/unauthorized');
});

test('nils, added to the conversation afterwards, cannot read the photo sent before he came', async () => {
  await updateDoc(doc(lea.db, conversation.path), {
    participantIds: [lea.uid, max.uid, nils.uid],
    updatedAt: serverTimestamp(),
  });
  const joined = await getDoc(doc(nils.db, conversation.path));
  assert.ok(joined.data().participantIds.includes(nils.uid), 'nils is in the conversation now');
  await refused(getBytes(fileOf(nils, photoPath)), 'storage/unauthorized');
  const thumbnail = `uploads/${lea.uid}/messages/${conversation.id}/${message.id}/thumb-shelves.jpg`;
  await refused(getMetadata(fileOf(nils, thumbnail)), 'storage/unauthorized');
});

test('hostile: max cannot upload into lea\'s folder for her message', async () => {
  const intruding = `uploads/${lea.uid}/messages/${conversation.id}/${newMessage(max).id}/fake.jpg`;
  await refused(uploadsPhoto(max, intruding, PHOTO_WITH_GPS), 'storage/unauthorized');
});

test('hostile: max cannot send lea\'s photo as his own message', async () => {
  const entry = photoEntry(lea, photoPath, PHOTO_WITH_GPS);
  await refused(sendsPhoto(max, newMessage(max), entry));
  await refused(sendsPhoto(max, newMessage(max), { ...entry, ownerId: max.uid }));
});

test('hostile: max cannot send the file of one of his messages again with another', async () => {
  const first = newMessage(max);
  const path = `uploads/${max.uid}/messages/${conversation.id}/${first.id}/mine.jpg`;
  await sendsPhoto(max, first, photoEntry(max, path, PHOTO_WITH_GPS));
  await uploadsPhoto(max, path, PHOTO_WITH_GPS);
  await refused(sendsPhoto(max, newMessage(max), photoEntry(max, path, PHOTO_WITH_GPS)));
  await settled();
});

test('hostile: max cannot upload a file below a message before sending it, or one it does not name', async () => {
  const unsent = newMessage(max);
  await refused(
    uploadsPhoto(max, `uploads/${max.uid}/messages/${conversation.id}/${unsent.id}/early.jpg`, PHOTO_WITH_GPS),
    'storage/unauthorized',
  );
});

test('hostile: once sent, lea\'s photo cannot be replaced, deleted or joined by another file', async () => {
  await refused(uploadsPhoto(lea, photoPath, PHOTO_WITH_GPS), 'storage/unauthorized');
  await refused(deleteObject(fileOf(lea, photoPath)), 'storage/unauthorized');
  const added = `uploads/${lea.uid}/messages/${conversation.id}/${message.id}/another.jpg`;
  await refused(uploadsPhoto(lea, added, PHOTO_WITH_GPS), 'storage/unauthorized');
  assert.equal(hasExif(await getBytes(fileOf(max, photoPath))), false, 'max still sees what was sent');
});
