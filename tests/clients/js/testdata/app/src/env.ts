// Where the stack runs, as the Python test passes it, and an app per member.
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore, terminate } from 'firebase/firestore';
import { connectFunctionsEmulator, getFunctions } from 'firebase/functions';
import { mitcheClient, type MitcheClient } from '@mitche/client';

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function hostPort(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

const apps: FirebaseApp[] = [];

/** A member's app against the emulators; with `token`, Firestore gets an emulator test token. */
export function memberApp(name: string, token?: Record<string, unknown> & { sub: string }) {
  const app = initializeApp(
    { projectId: required('APP_PROJECT'), apiKey: 'client-package-test' },
    `${name}-${apps.length}`,
  );
  apps.push(app);
  const db = getFirestore(app);
  const [host, port] = hostPort(required('FIRESTORE_EMULATOR_HOST'));
  connectFirestoreEmulator(db, host, port, token ? { mockUserToken: token } : {});
  const auth = getAuth(app);
  const authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (authHost) connectAuthEmulator(auth, `http://${authHost}`, { disableWarnings: true });
  const functions = getFunctions(app, 'us-central1');
  const functionsUrl = process.env.APP_FUNCTIONS_URL;
  if (functionsUrl) {
    const [fHost, fPort] = hostPort(new URL(functionsUrl).host);
    connectFunctionsEmulator(functions, fHost, fPort);
  }
  const client: MitcheClient = mitcheClient({ db, auth, functions, uid: token?.sub });
  return { app, db, auth, functions, client };
}

export async function closeAll(): Promise<void> {
  for (const app of apps) await terminate(getFirestore(app));
}
