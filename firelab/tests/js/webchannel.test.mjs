// The web SDK's browser build against the server, its streams over WebChannel as in a browser
// page: the web-writes transcript, the listener scenarios (writes_scenarios.mjs,
// listen_scenarios.mjs) and Security Rules decided for mock-token users (access_scenarios.mjs).
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

const sdk = await loadSdk('webchannel');

describe('web writes (sdk-web-writes)', () => {
  registerWebWrites({ test, before, after }, sdk, 'demo-js-webchannel-writes');
});

test('a listener receives added, modified and removed documents as they are written', () =>
  listenerSeesEachChange(sdk, 'demo-js-webchannel-basic'));

test('web listeners see the snapshots the official emulator sent (sdk-listen)', () =>
  sdkListen(sdk, 'demo-js-webchannel-listen'));

test('a resumed listener sees what changed while it was offline (sdk-listen-resume)', () =>
  sdkListenResume(sdk, 'demo-js-webchannel-resume'));

test('listeners see recursive deletes, clears and resets as the official emulator sent (sdk-clear)', () =>
  sdkClear(sdk, 'demo-js-webchannel-clear'));

describe('security rules', () => {
  registerAccessChecks({ test, before, after }, sdk, 'demo-js-webchannel-access');
});
