// A small app on the package: two members join, one posts a request near the Croix-Rousse, the
// other offers help, each sees what they should; bad input is stopped before it is sent, and a
// callable's refusal arrives as a typed error. Prints what each member saw as JSON.
import {
  applyActionCode,
  createUserWithEmailAndPassword,
  sendEmailVerification,
} from 'firebase/auth';
import { getDocs, serverTimestamp, writeBatch } from 'firebase/firestore';
import {
  CallableError,
  ValidationError,
  offerHelp,
  offeringsAwaitingAnswer,
  postRequest,
  publicLocation,
  requestsMine,
  setMemberRole,
  users,
  usersCreate,
} from '@mitche/client';

import { closeAll, memberApp, required } from './env.js';

async function join(name: string) {
  const member = memberApp(name);
  const email = `${name}-${Date.now()}@example.org`;
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
  const batch = writeBatch(member.db);
  usersCreate(batch, users.doc(member.db, uid), {
    profile: { displayName: name, anonymousAlias: `${name}-${uid.slice(0, 6)}` },
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
  await batch.commit();
  return { ...member, uid };
}

const alice = await join('alice');
const bob = await join('bob');

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
  }),
);
await closeAll();
