// Journey: fay's request asks for a wire transfer; the screen holds it: nobody else sees it and
// fay reads why. She rewrites it; the screen approves it and gus finds it. Olga's held request
// waits in the moderators' queue until a moderator releases it. Quinn's message asking rosa for
// a wire transfer is held too: rosa cannot open it until a moderator approves it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  collection,
  doc,
  getDoc,
  getDocs,
  limit,
  orderBy,
  query,
  where,
} from 'firebase/firestore';

import { messagesHeldForReview, moderationScreenedRequests, reviewContent } from '@mitche/client';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
import { joins } from '../harness/mitche.mjs';
import {
  categoryFeed,
  editsRequest,
  feedShows,
  messagesOf,
  postsRequest,
  reads,
  says,
  startsConversation,
} from './steps.mjs';

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

  await editsRequest(fay, request, {
    description: 'Could someone help me pay this month\'s electricity bill?',
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
    moderationScreenedRequests(mod.client, { limit: 100 }),
    (snapshot) => snapshot.docs.some((found) => found.id === request.id),
    { what: 'the moderators\' queue to list olga\'s held request' },
  );
  await refused(pia.call('review_content', { path: request.path, decision: 'approve' }));
  await reviewContent(mod.client, { path: request.path, decision: 'approve' });
  assert.equal((await reads(olga, request)).moderation.status, 'approved');
  await feedShows(pia, categoryFeed(pia, 'financial'), request);
});

test('a held message stays with its sender until a moderator approves it', async () => {
  const vic = await joins('vic');
  const wen = await joins('wen');
  await makeAdmin(vic);
  await makeModerator(vic, wen);
  const quinn = await joins('quinn');
  const rosa = await joins('rosa');
  const conversation = await startsConversation(quinn, [rosa]);
  await says(rosa, conversation, 'Hello quinn, how can I help?');
  const held = await says(quinn, conversation, 'Send me a wire transfer first, then I help.');
  await settled();

  const sent = (await getDoc(doc(quinn.db, held.path))).data();
  assert.equal(sent.moderation.status, 'hidden', 'quinn sees the message held');
  assert.match(sent.moderation.reason, /wire transfer/, 'and reads why');
  await refused(getDoc(doc(rosa.db, held.path)));
  await refused(
    getDocs(
      query(
        collection(rosa.db, 'messages'),
        where('conversationId', '==', conversation.id),
        where('participantIds', 'array-contains', rosa.uid),
        where('moderation.status', 'in', ['approved', 'flagged', 'hidden']),
        orderBy('createdAt', 'desc'),
        limit(100),
      ),
    ),
  );
  assert.deepEqual(
    await messagesOf(rosa, conversation),
    ['Hello quinn, how can I help?'],
    'rosa reads only what the screen let through',
  );
  assert.deepEqual(await messagesOf(quinn, conversation), [
    'Send me a wire transfer first, then I help.',
    'Hello quinn, how can I help?',
  ]);

  await until(
    messagesHeldForReview(wen.client, { limit: 100 }),
    (snapshot) => snapshot.docs.some((found) => found.id === held.id),
    { what: 'the moderators\' queue to list quinn\'s held message' },
  );
  await refused(rosa.call('review_content', { path: held.path, decision: 'approve' }));
  await reviewContent(wen.client, { path: held.path, decision: 'approve' });
  assert.equal((await getDoc(doc(rosa.db, held.path))).data().moderation.status, 'approved');
  assert.equal((await messagesOf(rosa, conversation)).length, 2, 'rosa now reads both');
});
