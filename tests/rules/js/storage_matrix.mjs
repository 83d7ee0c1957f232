// Runs the Storage access matrix through the firebase web SDK: for each cell, the object is
// put in place as the row needs it (present for get, update and delete; absent for create)
// with rules bypassed, then the actor performs the operation with their own ID token.
// Reads the cells from the JSON file named by argv[2], writes {id: "allowed" | "denied" |
// "error: ..."} to the file named by argv[3].
//
// FIREBASE_STORAGE_EMULATOR_HOST names the Storage server, STORAGE_PROJECT the project (its
// default bucket is <project>.appspot.com).
import { readFile, writeFile } from 'node:fs/promises';

import { deleteApp, initializeApp } from 'firebase/app';
import {
  connectStorageEmulator,
  deleteObject,
  getMetadata,
  getStorage,
  list,
  ref,
  uploadBytes,
} from 'firebase/storage';

const [cellsFile, resultsFile] = process.argv.slice(2);
const project = process.env.STORAGE_PROJECT;
const hostAndPort = process.env.FIREBASE_STORAGE_EMULATOR_HOST;
const at = hostAndPort.lastIndexOf(':');
const [host, port] = [hostAndPort.slice(0, at), Number(hostAndPort.slice(at + 1))];
const apps = [];

function storageFor(token) {
  const app = initializeApp(
    { projectId: project, apiKey: 'demo', storageBucket: `${project}.appspot.com` },
    `matrix-${apps.length}`,
  );
  apps.push(app);
  const storage = getStorage(app);
  connectStorageEmulator(storage, host, port, token === undefined ? {} : { mockUserToken: token });
  return storage;
}

const owner = storageFor('owner');
const clients = new Map();

function clientOf(cell) {
  const key = JSON.stringify([cell.uid, cell.claims]);
  if (!clients.has(key)) {
    const token = cell.uid === null ? undefined : { ...cell.claims, sub: cell.uid, user_id: cell.uid };
    clients.set(key, storageFor(token));
  }
  return clients.get(key);
}

async function prepare(cell) {
  try {
    await deleteObject(ref(owner, cell.path));
  } catch (error) {
    if (error.code !== 'storage/object-not-found') throw error;
  }
  if (cell.existing) {
    const { contentType, size } = cell.existing;
    await uploadBytes(ref(owner, cell.path), new Uint8Array(size), { contentType });
  }
}

async function perform(cell) {
  const storage = clientOf(cell);
  const target = ref(storage, cell.path);
  switch (cell.operation) {
    case 'get':
      return getMetadata(target);
    case 'list':
      return list(target, { maxResults: 10 });
    case 'create':
    case 'update':
      return uploadBytes(target, new Uint8Array(cell.upload.size), { contentType: cell.upload.contentType });
    case 'delete':
      return deleteObject(target);
    default:
      throw new Error(`unknown operation ${cell.operation}`);
  }
}

const cells = JSON.parse(await readFile(cellsFile, 'utf8'));
const results = {};
for (const cell of cells) {
  await prepare(cell);
  try {
    await perform(cell);
    results[cell.id] = 'allowed';
  } catch (error) {
    results[cell.id] = error.code === 'storage/unauthorized' ? 'denied' : `error: ${error.code} ${error.message}`;
  }
}
await writeFile(resultsFile, JSON.stringify(results));
await Promise.all(apps.map((app) => deleteApp(app)));
