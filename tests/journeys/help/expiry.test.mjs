// Journey: dan's request has a deadline; nobody answers in time but erin's offer is still
// waiting; the expiry schedule expires the request and erin's offer, and the feeds drop it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { serverTimestamp } from 'firebase/firestore';

import { closeAll, settled, stack } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { editsRequest, feedShows, offersHelp, postsRequest, reads, urgencyFeed } from './steps.mjs';

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
  const request = await postsRequest(dan, { urgency: 'critical' });
  await settled();
  await feedShows(erin, urgencyFeed(erin, 'critical'), request);
  const offer = await offersHelp(erin, request, dan.uid);
  await settled();

  // Dan's help stops being useful now: he sets the deadline to this moment (a deadline later
  // than the request's creation, as the rules ask), so the schedule's next run finds it overdue.
  await editsRequest(dan, request, { deadline: serverTimestamp() });
  await expirySchedule();
  assert.equal((await reads(dan, request)).status, 'expired', 'dan sees his request expired');
  assert.equal((await reads(erin, offer)).status, 'expired', 'erin sees her offer expired');
  await feedShows(erin, urgencyFeed(erin, 'critical'), request, {
    absent: true,
    what: 'the critical feed to drop the expired request',
  });
});
