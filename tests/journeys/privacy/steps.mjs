// Steps of the privacy journeys in the members' words: answering the consent screen, asking
// for one's data, opening the archive, as the Mitché app does them.
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';

import { serverTimestamp, writeBatch } from 'firebase/firestore';
import { connectStorageEmulator, getStorage } from 'firebase/storage';

import {
  requestDataExport,
  usersPrivateConsents,
  usersPrivateConsentsCreate,
  usersPrivateExport,
} from '@mitche/client';

import { settled, stack, until } from '../harness/index.mjs';

const BUCKET = `gs://${stack.project}.appspot.com`;

/** Cloud Storage as the member's app uses it, signed in as them. */
export function storageOf(member) {
  const storage = getStorage(member.app, BUCKET);
  const host = process.env.FIREBASE_STORAGE_EMULATOR_HOST;
  const at = host.lastIndexOf(':');
  connectStorageEmulator(storage, host.slice(0, at), Number(host.slice(at + 1)));
  return storage;
}

/** The member's consent record, as they (and only they) read it. */
export function consentsOf(member, owner = member) {
  return usersPrivateConsents.doc(member.db, owner.uid);
}

/** The member's export job, as `member` reads it. */
export function exportJobOf(member, owner = member) {
  return usersPrivateExport.doc(member.db, owner.uid);
}

/** The consent screen: the terms accepted, and an answer for each optional purpose (the
 * library's typed write of the consent record). */
export function answersConsents(member, { analytics, leaderboards }) {
  const answer = (granted) => ({ granted, version: '1', answeredAt: serverTimestamp() });
  const batch = writeBatch(member.db);
  usersPrivateConsentsCreate(batch, consentsOf(member), {
    termsVersion: '2026-11',
    termsAcceptedAt: serverTimestamp(),
    analytics: answer(analytics),
    leaderboards: answer(leaderboards),
    updatedAt: serverTimestamp(),
  });
  return batch.commit();
}

/** The member asks for their data and waits until the archive is ready; resolves to the job. */
export async function exportsTheirData(member) {
  const started = await requestDataExport(member.client, {});
  assert.equal(started.status, 'running', 'the export starts');
  await settled();
  const ready = await until(exportJobOf(member), (s) => s.data()?.status === 'ready', {
    what: `${member.name}'s archive to be ready`,
    timeoutMs: 60000,
  });
  assert.equal(ready.data().exportId, started.exportId, 'the archive of the export asked for');
  return ready.data();
}

/** The files of a zip archive, by name (stored or deflated entries, as zip writers make them). */
export function unzip(bytes) {
  const data = Buffer.from(bytes);
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'the archive is a zip file');
  const entries = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  const files = {};
  for (let i = 0; i < entries; i += 1) {
    const method = data.readUInt16LE(at + 10);
    const size = data.readUInt32LE(at + 20);
    const nameLength = data.readUInt16LE(at + 28);
    const extra = data.readUInt16LE(at + 30);
    const comment = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    const name = data.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const raw = data.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
    at += 46 + nameLength + extra + comment;
  }
  return files;
}
