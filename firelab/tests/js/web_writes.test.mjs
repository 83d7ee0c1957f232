// results/sdk-web-writes-official replayed through the web SDK's Node build (gRPC).
import { after, before, test } from 'node:test';

import { loadSdk } from './sdk.mjs';
import { registerWebWrites } from './writes_scenarios.mjs';

registerWebWrites({ test, before, after }, await loadSdk('grpc'), 'demo-js-grpc-writes');
