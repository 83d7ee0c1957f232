// The web SDK's browser build against the server, its streams over WebChannel with long polling
// forced (`experimentalForceLongPolling`, as apps behind buffering proxies run it): the
// web-writes transcript, the listener scenarios (writes_scenarios.mjs, listen_scenarios.mjs) and
// Security Rules decided for mock-token users (access_scenarios.mjs).
import { after, before, describe, test } from 'node:test';

import { registerAccessChecks } from './access_scenarios.mjs';
import {
  listenerSeesEachChange,
  sdkClear,
  sdkListen,
  sdkListenResume,
} from './listen_scenarios.mjs';
import { loadSdk } from './sdk.mjs';
import { registerWebWrites } from './writes_scenarios.mjs';

const sdk = await loadSdk('long-polling');

describe('web writes (sdk-web-writes)', () => {
  registerWebWrites({ test, before, after }, sdk, 'demo-js-long-polling-writes');
});

test('a listener receives added, modified and removed documents as they are written', () =>
  listenerSeesEachChange(sdk, 'demo-js-long-polling-basic'));

test('web listeners see the snapshots the official emulator sent (sdk-listen)', () =>
  sdkListen(sdk, 'demo-js-long-polling-listen'));

test('a resumed listener sees what changed while it was offline (sdk-listen-resume)', () =>
  sdkListenResume(sdk, 'demo-js-long-polling-resume'));

test('listeners see recursive deletes, clears and resets as the official emulator sent (sdk-clear)', () =>
  sdkClear(sdk, 'demo-js-long-polling-clear'));

describe('security rules', () => {
  registerAccessChecks({ test, before, after }, sdk, 'demo-js-long-polling-access');
});
