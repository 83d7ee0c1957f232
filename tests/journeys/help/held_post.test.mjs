// Journey: fay's request asks for a wire transfer; the screen holds it: nobody else sees it and
// fay reads why. She rewrites it; the screen approves it and gus finds it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { doc, getDoc, serverTimestamp, updateDoc } from 'firebase/firestore';

import { closeAll, refused, settled } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import { categoryFeed, feedShows, postsRequest, reads } from './steps.mjs';

after(closeAll);

test('a held post stays with its author, who reads why and can fix it', async () => {
  const fay = await joins('fay');
  const gus = await joins('gus');
  const request = await postsRequest(fay, {
    category: 'financial',
    description: 'Please send a wire transfer to my cousin, it is urgent.',
  });
  await settled();
  const mine = await reads(fay, request);
  assert.equal(mine.moderation.status, 'hidden');
  assert.match(mine.moderation.reason, /wire transfer/);
  await refused(getDoc(doc(gus.db, request.path)));

  await updateDoc(doc(fay.db, request.path), {
    description: 'Could someone help me pay this month\'s electricity bill?',
    updatedAt: serverTimestamp(),
  });
  await settled();
  assert.equal((await reads(fay, request)).moderation.status, 'approved');
  await feedShows(gus, categoryFeed(gus, 'financial'), request);
});
