// A small app on the package: two members join (one then takes another alias), one posts a request near the Croix-Rousse, the
// other offers help; it is accepted, they talk, the help is proposed complete, confirmed and
// rated, and the request marked fulfilled, each step a flow of the package; bad input is stopped
// before it is sent, and a callable's refusal arrives as a typed error. Prints what the members
// saw as JSON.
import {
  applyActionCode,
  createUserWithEmailAndPassword,
  sendEmailVerification,
} from 'firebase/auth';
import {
  getDoc,
  getDocs,
  onSnapshot,
  type DocumentReference,
  type DocumentSnapshot,
} from 'firebase/firestore';
import {
  CallableError,
  ValidationError,
  acceptOffering,
  changeAlias,
  confirmAndRate,
  consentToReveal,
  conversations,
  joinCommunity,
  markFulfilled,
  offerings,
  proposeCompletion,
  readConversation,
  requests,
  sendMessage,
  offerHelp,
  offeringsAwaitingAnswer,
  postRequest,
  publicLocation,
  requestsMine,
  setMemberRole,
  users,
  usersRevealConsents,
} from '@mitche/client';

import { closeAll, memberApp, required } from './env.js';

/** Wait until the document, as this member reads it, satisfies `ok` (functions run after a
 * write); fails with what was last seen after a minute, a safety net and not a measurement. */
function until<T>(ref: DocumentReference<T>, ok: (data: T | undefined) => boolean, what: string) {
  return new Promise<T>((resolve, reject) => {
    let last: T | undefined;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(last)}`));
    }, 60000);
    const stop = onSnapshot(
      ref,
      (snapshot: DocumentSnapshot<T>) => {
        last = snapshot.data();
        if (ok(last)) {
          clearTimeout(timer);
          stop();
          resolve(last!);
        }
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function join(name: string) {
  const member = memberApp(name);
  const email = `${name}-${Math.random().toString(36).slice(2, 10)}@example.org`;
  await createUserWithEmailAndPassword(member.auth, email, 'correct horse battery');
  await sendEmailVerification(member.auth.currentUser!);
  const codes = await fetch(
    `http://${required('FIREBASE_AUTH_EMULATOR_HOST')}/emulator/v1/projects/${required('APP_PROJECT')}/oobCodes`,
  );
  const { oobCodes } = (await codes.json()) as { oobCodes: { email: string; oobCode: string }[] };
  await applyActionCode(member.auth, oobCodes.filter((c) => c.email === email).at(-1)!.oobCode);
  await member.auth.currentUser!.reload();
  await member.auth.currentUser!.getIdToken(true);
  const uid = member.auth.currentUser!.uid;
  const alias = `${name}-${uid.slice(0, 6)}`;
  // The profile and the alias's claim (its key the alias folded), in one batch.
  await joinCommunity(member.client, { profile: { displayName: name, anonymousAlias: alias } });
  return { ...member, uid, alias };
}

const alice = await join('alice');
const bob = await join('bob');

// alice takes another alias: the new claim and the old one's release go with the profile.
const newAlias = `Alice ${alice.uid.slice(0, 6)}`;
await changeAlias(alice.client, { alias: newAlias, previousAlias: alice.alias });
const profile = await getDoc(users.doc(alice.db, alice.uid));

const { requestId } = await postRequest(alice.client, {
  title: 'Groceries for this week',
  description: 'I cannot leave home this week; could someone bring groceries?',
  category: 'food',
  urgency: 'high',
  visibility: 'community',
  remoteOk: false,
  location: publicLocation(45.7745, 4.8297, 'Croix-Rousse, Lyon'),
});

let refusedBeforeSending = '';
try {
  await postRequest(alice.client, {
    title: 'x'.repeat(500),
    description: 'too long a title',
    category: 'food',
    urgency: 'low',
    visibility: 'community',
    remoteOk: true,
  });
} catch (error) {
  if (error instanceof ValidationError) refusedBeforeSending = error.issues[0]!.path;
}

const mine = await getDocs(requestsMine(alice.client));
const posted = mine.docs.find((one) => one.id === requestId)?.data();

const { offeringId } = await offerHelp(bob.client, {
  offeringType: 'help',
  requestPath: `requests/${requestId}`,
  requesterId: alice.uid,
  title: 'I can bring groceries tomorrow',
  category: 'food',
  visibility: 'community',
});
const waiting = await getDocs(offeringsAwaitingAnswer(alice.client));

const offered = offerings.doc(alice.db, offeringId);
await until(offered, (o) => o?.moderation?.status === 'approved', 'the screen to pass the offer');
await acceptOffering(alice.client, { offeringId });
const accepted = await until(offered, (o) => Boolean(o?.conversationId), 'the conversation');
const conversationId = accepted.conversationId!;
const talk = await getDoc(conversations.doc(bob.db, conversationId));
await sendMessage(bob.client, {
  conversationId,
  participantIds: talk.data()!.participantIds,
  messageType: 'text',
  text: 'On my way with the groceries!',
});
await readConversation(alice.client, { conversationId });
await proposeCompletion(bob.client, { offeringId });
await confirmAndRate(alice.client, { offeringId, feedback: { rating: 5, comment: 'Thank you!' } });
const request = requests.doc(alice.db, requestId);
await until(request, (r) => (r?.acceptedHelperIds ?? []).includes(bob.uid), 'bob to be accepted');
await markFulfilled(alice.client, { requestId, completion: { fulfilledBy: [bob.uid] } });
const closed = await getDoc(request);
// The request links them (requester and accepted helper): a context both took part in.
await consentToReveal(alice.client, { counterpartId: bob.uid, context: `requests/${requestId}` });
await consentToReveal(bob.client, { counterpartId: alice.uid, context: `requests/${requestId}` });
const consent = await getDoc(usersRevealConsents.doc(alice.db, alice.uid, bob.uid));
const rated = await getDoc(offered);

let callableCode = '';
try {
  await setMemberRole(bob.client, { uid: bob.uid, role: 'admin' });
} catch (error) {
  if (error instanceof CallableError) callableCode = String(error.code);
}

console.log(
  JSON.stringify({
    requestId,
    myRequests: mine.docs.map((one) => one.id),
    geohash: posted?.location?.geohash ?? null,
    area: posted?.location?.area.geohash ?? null,
    refusedBeforeSending,
    offeringId,
    awaiting: waiting.docs.map((one) => one.id),
    callableCode,
    conversationId,
    offeringStatus: rated.data()?.status ?? null,
    rating: rated.data()?.requesterFeedback?.rating ?? null,
    requestStatus: closed.data()?.status ?? null,
    consent: consent.data()?.status ?? null,
    alias: profile.data()?.profile.anonymousAlias ?? null,
    newAlias,
  }),
);
await closeAll();
