// Journey: what a member's level lets them do. A new member (level 1, Seedling) asks for help
// up to three requests open at once and organises no event; once a moderator credits the good
// she did (her level rises to Sprout), she reads the privilege on her account and organises
// one. Mentorship is offered by Mentors (level 20) only. Hostile twins: an event by a new
// member, a fourth open request at level 1, requests fired together to outrun the count, a
// mentorship offer (new, or a tag added later) by a member who is not eligible.
//
// Posting several requests in a row needs the request rate limit out of the way: the admin
// sets it to 0 seconds through set_rate_limits for this journey and puts it back at the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  collection,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  updateDoc,
  where,
  writeBatch,
} from 'firebase/firestore';

import { closeAll, makeAdmin, makeModerator, refused, settled, until } from '../harness/index.mjs';
import { joins, reachesPrivilege } from '../harness/mitche.mjs';
import { organises } from '../events/steps.mjs';
import { createsStamped, postsRequest } from '../help/steps.mjs';

const staff = {};
let requestSeconds;

before(async () => {
  staff.admin = await joins('ada');
  staff.moderator = await joins('mona');
  await makeAdmin(staff.admin);
  await makeModerator(staff.admin, staff.moderator);
  const settings = await getDoc(doc(staff.admin.db, 'systemSettings', 'public'));
  const before = settings.data()?.config?.rateLimits?.requestSeconds ?? 60;
  const limits = await staff.admin.call('set_rate_limits', {
    limits: { requestSeconds: 0 },
    reason: 'Privileges journey: requests in a row',
  });
  assert.equal(limits.rateLimits.requestSeconds, 0);
  requestSeconds = before;
});

after(async () => {
  if (requestSeconds !== undefined) {
    await staff.admin.call('set_rate_limits', {
      limits: { requestSeconds },
      reason: 'Privileges journey done',
    });
  }
  await closeAll();
});

/** The member's private account, as they read it. */
async function myAccount(member) {
  const snapshot = await getDoc(doc(member.db, 'users', member.uid, 'private', 'account'));
  return snapshot.data() ?? {};
}

/** Wait until the member reads `count` open requests on their account. */
function openRequestsReach(member, count) {
  return until(
    doc(member.db, 'users', member.uid, 'private', 'account'),
    (found) => (found.data()?.openRequests ?? 0) === count,
    { what: `${member.name}'s open requests at ${count}` },
  );
}

/** The member's own requests, as they list them. */
async function myRequests(member) {
  const snapshot = await getDocs(
    query(collection(member.db, 'requests'), where('requesterId', '==', member.uid)),
  );
  return snapshot.docs.map((found) => ({ id: found.id, ...found.data() }));
}

/** The member withdraws their request (closes it), as the app writes it. */
function closes(member, ref) {
  return updateDoc(doc(member.db, ref.path), {
    status: 'closed',
    completion: { completedAt: serverTimestamp(), fulfilledBy: [] },
    updatedAt: serverTimestamp(),
  });
}

/** A standing offering of help, tagged as the member chooses. */
function offersHelpToAnyone(member, tags) {
  const ref = doc(collection(member.db, 'offerings'));
  return createsStamped(member, 'lastOffering', ref, {
    helperId: member.uid,
    offeringType: 'help',
    requestPath: null,
    title: 'An hour a week for newcomers',
    description: 'I help new members find their way: forms, transport, who to ask.',
    category: 'education',
    tags,
    status: 'offered',
    visibility: 'community',
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
}

test('hostile: nora, a new member (Seedling), cannot create a community event', async () => {
  const nora = await joins('nora');
  assert.equal((await myAccount(nora)).privileges, undefined, 'no privileges map: level 1');
  await refused(organises(nora));
  const mine = await getDocs(
    query(collection(nora.db, 'communityEvents'), where('organizerId', '==', nora.uid)),
  );
  assert.equal(mine.size, 0, 'no event of hers exists');
});

test('a moderator credits nora; her level reaches Sprout and she organises an event', async () => {
  const nora = await joins('nora');
  const privileges = await reachesPrivilege(staff.moderator, nora, 'canOrganizeEvents');
  assert.equal(privileges.level, 3, 'she reads her new level with its privileges');
  assert.equal(privileges.maxOpenRequests, 4, 'Sprouts may have four requests open');
  assert.equal(privileges.mentorshipEligible, false);
  const event = await organises(nora);
  assert.equal((await getDoc(doc(nora.db, event.path))).data().organizerId, nora.uid);
});

test('hostile: rita asks for help three times at level 1; a fourth open request is refused', async () => {
  const rita = await joins('rita');
  const first = await postsRequest(rita, { title: 'A lift to the clinic' });
  await postsRequest(rita, { title: 'Groceries on Friday' });
  await postsRequest(rita, { title: 'Help with a heating bill form' });
  await openRequestsReach(rita, 3);
  await refused(postsRequest(rita, { title: 'A fourth thing I need' }));
  assert.equal((await myRequests(rita)).length, 3, 'the fourth request does not exist');

  await closes(rita, first);
  await openRequestsReach(rita, 2);
  const fourth = await postsRequest(rita, { title: 'A fourth thing I need' });
  await openRequestsReach(rita, 3);
  assert.equal((await getDoc(doc(rita.db, fourth.path))).data().status, 'open');
});

test('hostile: sol fires three requests at once to outrun the count; only the limit stays open', async () => {
  const sol = await joins('sol');
  await postsRequest(sol, { title: 'Someone to walk my dog' });
  await postsRequest(sol, { title: 'A ladder for one afternoon' });
  await openRequestsReach(sol, 2);
  const fired = await Promise.allSettled(
    ['Soup for a sick neighbour', 'Moving boxes on Sunday', 'Company at the hospital'].map(
      (title) => postsRequest(sol, { title }),
    ),
  );
  const refusals = fired.filter((outcome) => outcome.status === 'rejected');
  for (const refusal of refusals) {
    assert.ok(String(refusal.reason.code).endsWith('permission-denied'), String(refusal.reason));
  }
  await settled();
  const mine = await myRequests(sol);
  const open = mine.filter((request) => request.status === 'open');
  assert.equal(open.length, 3, 'at most three of her requests are open');
  const closed = mine.filter((request) => request.status === 'closed');
  assert.equal(mine.length, 2 + fired.length - refusals.length, 'no request was lost');
  for (const request of closed) {
    assert.equal(request.closure.reason, 'openRequestLimit', 'she reads why it was closed');
    assert.match(request.closure.message, /3 open at once/);
  }
  assert.equal((await myAccount(sol)).openRequests, 3);
});

test('hostile: uma, two requests open, sends two more in one batch; the batch is refused whole', async () => {
  const uma = await joins('uma');
  await postsRequest(uma, { title: 'Someone to read my mail' });
  await postsRequest(uma, { title: 'A lift to the station' });
  await openRequestsReach(uma, 2);
  const refs = [doc(collection(uma.db, 'requests')), doc(collection(uma.db, 'requests'))];
  const batch = writeBatch(uma.db);
  batch.set(
    doc(uma.db, 'users', uma.uid, 'private', 'account'),
    { lastRequest: { at: serverTimestamp(), path: refs[0].path } },
    { merge: true },
  );
  for (const ref of refs) {
    batch.set(ref, {
      requesterId: uma.uid,
      title: 'Two at once',
      description: 'Trying to get past my limit in one write.',
      category: 'food',
      urgency: 'low',
      status: 'open',
      remoteOk: true,
      visibility: 'community',
      createdAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    });
  }
  await refused(batch.commit());
  assert.equal((await myRequests(uma)).length, 2, 'neither request of the batch exists');
});

test('hostile: ivy (level 1) cannot offer mentorship, nor tag her offer mentorship later', async () => {
  const ivy = await joins('ivy');
  await refused(offersHelpToAnyone(ivy, ['mentorship']));
  const plain = await offersHelpToAnyone(ivy, ['paperwork']);
  await refused(
    updateDoc(doc(ivy.db, plain.path), {
      tags: ['paperwork', 'mentorship'],
      updatedAt: serverTimestamp(),
    }),
  );
  assert.deepEqual((await getDoc(doc(ivy.db, plain.path))).data().tags, ['paperwork']);
});

test('a moderator credits years of mentoring to max; as a Mentor he offers mentorship', async () => {
  const max = await joins('max');
  const privileges = await reachesPrivilege(staff.moderator, max, 'mentorshipEligible');
  assert.ok(privileges.level >= 20, 'Mentor level');
  assert.equal(privileges.canOrganizeEvents, true, 'higher rows keep the lower privileges');
  const offer = await offersHelpToAnyone(max, ['mentorship', 'paperwork']);
  assert.deepEqual((await getDoc(doc(max.db, offer.path))).data().tags, ['mentorship', 'paperwork']);
});

test('hostile: nobody writes their own privileges or open-request count', async () => {
  const zoe = await joins('zoe');
  const account = doc(zoe.db, 'users', zoe.uid, 'private', 'account');
  await postsRequest(zoe);
  await openRequestsReach(zoe, 1);
  await refused(
    updateDoc(account, {
      privileges: { level: 50, maxOpenRequests: 50, canOrganizeEvents: true, mentorshipEligible: true },
    }),
  );
  await refused(updateDoc(account, { openRequests: 0 }));
  assert.equal((await myAccount(zoe)).openRequests, 1);
});
