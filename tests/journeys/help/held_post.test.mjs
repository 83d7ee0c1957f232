// Journey: fay's request asks for a wire transfer; the screen holds it: nobody else sees it and
// fay reads why. She rewrites it; the screen approves it and gus finds it. Olga's held request
// waits in the moderators' queue until a moderator releases it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  collection,
  doc,
  getDoc,
  limit,
  orderBy,
  query,
  serverTimestamp,
  updateDoc,
  where,
} from 'firebase/firestore';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
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

test('a moderator finds a held post in the queue and releases it', async () => {
  const ada = await joins('ada');
  const mod = await joins('mod');
  await makeAdmin(ada);
  await makeModerator(ada, mod);
  const olga = await joins('olga');
  const pia = await joins('pia');
  const request = await postsRequest(olga, {
    category: 'financial',
    description: 'My landlord wants a wire transfer today, can anyone lend me 200 euros?',
  });
  await settled();
  await refused(getDoc(doc(pia.db, request.path)));
  await until(
    query(
      collection(mod.db, 'requests'),
      where('moderation.status', 'in', ['flagged', 'hidden']),
      orderBy('moderation.screenedAt', 'desc'),
      limit(100),
    ),
    (snapshot) => snapshot.docs.some((found) => found.id === request.id),
    { what: 'the moderators\' queue to list olga\'s held request' },
  );
  await refused(pia.call('review_content', { path: request.path, decision: 'approve' }));
  await mod.call('review_content', { path: request.path, decision: 'approve' });
  assert.equal((await reads(olga, request)).moderation.status, 'approved');
  await feedShows(pia, categoryFeed(pia, 'financial'), request);
});
