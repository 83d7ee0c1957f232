// What the package's types refuse: each line below must be a type error (tsc fails when an
// `@ts-expect-error` line compiles).
import { serverTimestamp } from 'firebase/firestore';
import type { PostRequestInput, RequestsCreate, RequestsUpdate } from '@mitche/client';
import { requestsOpenByUrgency, mitcheClient } from '@mitche/client';
import type { Firestore } from 'firebase/firestore';

declare const db: Firestore;
const client = mitcheClient({ db });

export const serverTime: RequestsUpdate = { updatedAt: serverTimestamp() };

export const created: Partial<RequestsCreate> = {
  title: 'ok',
  // @ts-expect-error moderation is written by the functions only
  moderation: { status: 'approved' },
};

export const edited: RequestsUpdate = {
  // @ts-expect-error requesterId is set once, on create
  requesterId: 'someone-else',
};

export const input: Partial<PostRequestInput> = {
  // @ts-expect-error the flow sets status itself ('open')
  status: 'fulfilled',
};

// @ts-expect-error urgency is one of the catalog's choices
requestsOpenByUrgency(client, { urgency: 'whenever', limit: 20 });
