// Journey: dan's request has a deadline; nobody answers in time but erin's offer is still
// waiting; the expiry schedule expires the request and erin's offer, and the feeds drop it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Timestamp } from 'firebase/firestore';

import { closeAll, settled, stack } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { feedShows, offersHelp, postsRequest, reads, urgencyFeed } from './steps.mjs';

after(closeAll);

/** The operator's scheduler fires the expiry schedule, as Cloud Scheduler does every 15 min. */
async function expirySchedule() {
  const response = await fetch(
    `${stack.functions}/__firelab/schedules/expire_overdue_requests:run`,
    { method: 'POST' },
  );
  assert.ok(response.ok, `the expiry schedule ran (${response.status})`);
  await settled();
}

test('a request past its deadline expires with its waiting offer, and leaves the feeds', async () => {
  const dan = await joins('dan');
  const erin = await joins('erin');
  const request = await postsRequest(dan, {
    urgency: 'critical',
    deadline: Timestamp.fromMillis(Date.now() + 3000),
  });
  await settled();
  await feedShows(erin, urgencyFeed(erin, 'critical'), request);
  const offer = await offersHelp(erin, request, dan.uid);
  await settled();

  // The schedule runs until the deadline has passed and the request is expired: what the test
  // waits for is that state, observed after each run.
  let status = 'open';
  for (let run = 0; run < 60 && status !== 'expired'; run += 1) {
    await expirySchedule();
    status = (await reads(dan, request)).status;
  }
  assert.equal(status, 'expired', 'dan sees his request expired');
  assert.equal((await reads(erin, offer)).status, 'expired', 'erin sees her offer expired');
  await feedShows(erin, urgencyFeed(erin, 'critical'), request, {
    absent: true,
    what: 'the critical feed to drop the expired request',
  });
});
