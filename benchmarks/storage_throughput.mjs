// The firebase web SDK's side of benchmarks/storage_throughput.py: connects to the Storage
// server named by FIREBASE_STORAGE_EMULATOR_HOST as a signed-in member, then answers one line
// per command read from stdin with the seconds the command took:
//
//   prepare SIZE          upload users/bench/download-SIZE once (for the downloads)
//   upload SIZE COUNT     COUNT x uploadBytes (one multipart request each)
//   resumable SIZE COUNT  COUNT x uploadBytesResumable (chunked for files over 256 KiB)
//   download SIZE COUNT   COUNT x getBytes of the prepared file
import { createInterface } from 'node:readline';

import { initializeApp } from 'firebase/app';
import {
  connectStorageEmulator,
  getBytes,
  getStorage,
  ref,
  uploadBytes,
  uploadBytesResumable,
} from 'firebase/storage';

const project = process.env.STORAGE_PROJECT;
const hostAndPort = process.env.FIREBASE_STORAGE_EMULATOR_HOST;
const at = hostAndPort.lastIndexOf(':');
const app = initializeApp({ projectId: project, apiKey: 'demo', storageBucket: `${project}.appspot.com` });
const storage = getStorage(app);
connectStorageEmulator(storage, hostAndPort.slice(0, at), Number(hostAndPort.slice(at + 1)), {
  mockUserToken: { sub: 'bench', user_id: 'bench' },
});

const payloads = new Map();
function payload(size) {
  if (!payloads.has(size)) {
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) data[i] = (i * 131) % 251;
    payloads.set(size, data);
  }
  return payloads.get(size);
}

let serial = 0;
async function run(command, size, count) {
  const data = payload(size);
  const meta = { contentType: 'application/octet-stream' };
  if (command === 'prepare') {
    await uploadBytes(ref(storage, `users/bench/download-${size}`), data, meta);
    return;
  }
  for (let i = 0; i < count; i += 1) {
    serial += 1;
    const target = ref(storage, `users/bench/${command}-${size}-${serial % 8}`);
    if (command === 'upload') await uploadBytes(target, data, meta);
    else if (command === 'resumable') await uploadBytesResumable(target, data, meta);
    else if (command === 'download') {
      const bytes = await getBytes(ref(storage, `users/bench/download-${size}`));
      if (bytes.byteLength !== size) throw new Error(`downloaded ${bytes.byteLength} of ${size} bytes`);
    } else throw new Error(`unknown command ${command}`);
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, size, count] = line.trim().split(/\s+/);
  const started = process.hrtime.bigint();
  await run(command, Number(size), Number(count ?? 1));
  process.stdout.write(`${Number(process.hrtime.bigint() - started) / 1e9}\n`);
}
process.exit(0);
