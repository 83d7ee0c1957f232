import type { Auth } from 'firebase/auth';
import type { Firestore } from 'firebase/firestore';
import type { Functions } from 'firebase/functions';

/**
 * What every function of the package needs: the app's Firestore, its Functions (for the
 * callables) and who is signed in. The library never signs in for the app.
 */
export interface MitcheClient {
  readonly db: Firestore;
  readonly functions: Functions | null;
  /** The signed-in member's uid, or null when signed out. */
  uid(): string | null;
}

/** Options of `mitcheClient`: pass `auth` (the usual case) or a fixed `uid` (a test token). */
export interface MitcheClientOptions {
  db: Firestore;
  functions?: Functions;
  auth?: Auth;
  uid?: string;
}

/** The client the package's functions take, from the app's Firebase services. */
export function mitcheClient(options: MitcheClientOptions): MitcheClient {
  const { db, functions, auth, uid } = options;
  return {
    db,
    functions: functions ?? null,
    uid: () => uid ?? auth?.currentUser?.uid ?? null,
  };
}

/** Raised before anything is sent when a call cannot be right (signed out, bad parameter). */
export class MitcheClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MitcheClientError';
  }
}

/** The signed-in member's uid; a MitcheClientError when nobody is signed in. */
export function requireUid(client: MitcheClient): string {
  const uid = client.uid();
  if (!uid) throw new MitcheClientError('sign in first: this call acts as the signed-in member');
  return uid;
}
