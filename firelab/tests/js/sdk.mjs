// The firebase web SDK as the tests drive it, over either transport:
//
// - 'grpc': `firebase/firestore` as Node loads it (its Node build speaks gRPC);
// - 'webchannel': the browser build, which carries its streams over WebChannel as in a browser
//   page (fetch streams stand in for the browser's XMLHttpRequest streaming, and `xhr.mjs` for
//   the XMLHttpRequest its unary calls use);
// - 'long-polling': the browser build with `experimentalForceLongPolling`, as apps behind
//   buffering proxies run it.
//
// A process loads one build only: both register the same Firebase component.
import { deleteApp, initializeApp } from 'firebase/app';

import { host, port } from './helpers.mjs';
import { installXMLHttpRequest } from './xhr.mjs';

export const TRANSPORTS = ['grpc', 'webchannel', 'long-polling'];

let appCount = 0;

/**
 * In a browser a pending timer keeps nothing alive; in Node it keeps the process from exiting.
 * WebChannel arms a 45 s watchdog on the request that terminates a session and never clears it,
 * so timers of 45 s or more stop holding the process (the SDK's other long timers are
 * housekeeping: idle streams, garbage collection).
 */
function unrefLongTimers() {
  const original = globalThis.setTimeout;
  if (original.firelabUnrefsLongTimers) return;
  const patched = (callback, delay, ...args) => {
    const timer = original(callback, delay, ...args);
    if (delay >= 45000) timer.unref();
    return timer;
  };
  patched.firelabUnrefsLongTimers = true;
  globalThis.setTimeout = patched;
}

/** The Firestore module of `transport` and a factory of clients using it. */
export async function loadSdk(transport) {
  let fs;
  let settings = {};
  if (transport === 'grpc') {
    fs = await import('firebase/firestore');
  } else {
    installXMLHttpRequest();
    unrefLongTimers();
    const nodeBuild = import.meta.resolve('@firebase/firestore');
    fs = await import(new URL('./index.esm.js', nodeBuild).href);
    settings = { useFetchStreams: true, experimentalForceLongPolling: transport === 'long-polling' };
  }
  /**
   * A client of `projectId` in its own app. `token` is what rules-unit-testing's contexts pass
   * as `mockUserToken`: 'owner' bypasses rules, an object is an end user's claims, undefined a
   * signed-out visitor. `close()` terminates it, so the process can exit.
   */
  const client = (projectId, token) => {
    appCount += 1;
    const app = initializeApp({ projectId, apiKey: 'demo' }, `firelab-${transport}-${appCount}`);
    const db = fs.initializeFirestore(app, settings);
    const options = token === undefined ? {} : { mockUserToken: token };
    fs.connectFirestoreEmulator(db, host, port, options);
    return {
      db,
      async close() {
        await fs.terminate(db);
        await deleteApp(app);
      },
    };
  };
  return { transport, fs, client };
}
