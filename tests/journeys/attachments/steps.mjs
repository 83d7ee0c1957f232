// Steps of the attachment journeys in the members' words: uploading a file for a document and
// naming it there, as the Mitché app does (the upload first, below the uploader's own folder
// for that very document; then the document names it).
import { createHash } from 'node:crypto';

import { doc } from 'firebase/firestore';
import { connectStorageEmulator, getStorage, ref, uploadBytes } from 'firebase/storage';

import { stack } from '../harness/index.mjs';

const BUCKET = `gs://${stack.project}.appspot.com`;
const storageHost = process.env.FIREBASE_STORAGE_EMULATOR_HOST;

/** Cloud Storage as the member's app uses it (signed in as them, or signed out). */
export function storageOf(app) {
  const storage = getStorage(app, BUCKET);
  const at = storageHost.lastIndexOf(':');
  connectStorageEmulator(storage, storageHost.slice(0, at), Number(storageHost.slice(at + 1)));
  return storage;
}

/** The object `path` as `member`'s app reaches it. */
export function fileOf(member, path) {
  return ref(storageOf(member.app), path);
}

/** Where the pipeline tells a member what became of an upload. */
export function reviewOf(member, path) {
  const id = createHash('sha256').update(path).digest('hex').slice(0, 24);
  return doc(member.db, 'users', member.uid, 'uploadReviews', id);
}

/** `member` uploads a JPEG to `path`. */
export function uploadsPhoto(member, path, bytes) {
  return uploadBytes(fileOf(member, path), bytes, { contentType: 'image/jpeg' });
}

/** The attachment entry a document holds for a JPEG `member` uploaded to `path`. */
export function photoEntry(member, path, bytes) {
  return {
    storagePath: path,
    ownerId: member.uid,
    contentType: 'image/jpeg',
    sizeBytes: bytes.byteLength,
    fileName: path.slice(path.lastIndexOf('/') + 1),
  };
}
