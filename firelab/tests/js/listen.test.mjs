// Snapshot listeners of the web SDK's Node build (gRPC Listen stream): see listen_scenarios.mjs.
import { test } from 'node:test';

import {
  listenerSeesEachChange,
  sdkClear,
  sdkListen,
  sdkListenResume,
} from './listen_scenarios.mjs';
import { loadSdk } from './sdk.mjs';

const sdk = await loadSdk('grpc');

test('a listener receives added, modified and removed documents as they are written', () =>
  listenerSeesEachChange(sdk, 'demo-js-grpc-basic'));

test('web listeners see the snapshots the official emulator sent (sdk-listen)', () =>
  sdkListen(sdk, 'demo-js-grpc-listen'));

test('a resumed listener sees what changed while it was offline (sdk-listen-resume)', () =>
  sdkListenResume(sdk, 'demo-js-grpc-resume'));

test('listeners see recursive deletes, clears and resets as the official emulator sent (sdk-clear)', () =>
  sdkClear(sdk, 'demo-js-grpc-clear'));
