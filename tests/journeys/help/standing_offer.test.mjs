// Journey: bob offers weekly lifts to anyone; carol, who needs one, claims the offer; they talk
// in the conversation the claim opened; carol confirms and rates bob. Nobody else can take an
// offer already claimed, and bob cannot claim his own.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  claims,
  confirmsAndRates,
  conversationOf,
  offersToAnyone,
  profileReaches,
  reads,
  says,
} from './steps.mjs';

after(closeAll);

test('bob\'s standing offer is screened, claimed by carol, and completed with her rating', async () => {
  const bob = await joins('bob');
  const carol = await joins('carol');
  const mallory = await joins('mallory');
  const offer = await offersToAnyone(bob);
  await settled();
  assert.equal((await reads(carol, offer)).moderation.status, 'approved');

  await refused(claims(bob, offer));
  await claims(carol, offer);
  await refused(claims(mallory, offer));
  const conversation = await conversationOf(carol, offer);
  await says(carol, conversation, 'Saturday 9am works for me, thank you!');
  await settled();

  await confirmsAndRates(carol, offer, 5);
  await settled();
  const me = await profileReaches(
    bob,
    (data) => data.stats?.positiveFeedback === 1 && data.stats?.offeringsCompleted === 1,
    'bob\'s counters to show the completed offer and carol\'s rating',
  );
  assert.equal(me.stats.rating.count, 1);
});
