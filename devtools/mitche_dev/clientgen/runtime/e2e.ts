// End-to-end encrypted messages: the reference implementation of the scheme the backend stores
// but never reads (`x25519-hkdf-sha256-aes256gcm/v1`, see functions/mitche/models/messages.py).
//
// Each device makes an X25519 key pair; the private key stays on the device (make it
// non-extractable and keep it in IndexedDB or the platform keystore), the public key is
// published at `users/{uid}/publicKeys/{keyId}`. To send, the app seals the text once under a
// fresh 256-bit content key (AES-256-GCM), then wraps that key for each participant, the sender
// included: a one-time X25519 key agreement with the participant's newest published key, HKDF-
// SHA256 over the shared secret (salt: both public keys; info: the scheme), and AES-256-GCM.
// Associated data binds the text to its conversation and sender, and each wrap to its
// recipient and key, so a sealed body moved elsewhere fails to open. Only WebCrypto is used
// (browsers and Node 20+).
//
// Limits: a member reads sealed messages on the device whose key they were sealed for (a new
// device publishes a new key and reads messages sent after); the scheme hides content, not who
// talks to whom or when.

import { collection, doc, getDocs, serverTimestamp, setDoc, type Firestore } from 'firebase/firestore';

import type { SealedMessage, SealedRecipient } from './schema.js';

export const E2E_SCHEME = 'x25519-hkdf-sha256-aes256gcm/v1' as const;

/** A device's key pair; only `publicKey` is ever published. */
export interface DeviceKey {
  keyId: string;
  /** The raw X25519 public key, base64url without padding (43 characters). */
  publicKey: string;
  privateKey: CryptoKey;
}

/** A participant's published key, as `sealText` needs it. */
export interface RecipientKey {
  keyId: string;
  publicKey: string;
}

/** What a sealed body is bound to. */
export interface SealContext {
  conversationId: string;
  senderId: string;
}

const subtle = globalThis.crypto.subtle;
const X25519 = { name: 'X25519' } as const;
const encoder = new TextEncoder();

/** A new device key; `extractable: false` keeps the private key inside WebCrypto. */
export async function generateDeviceKey(keyId: string, extractable = false): Promise<DeviceKey> {
  const pair = (await subtle.generateKey(X25519, extractable, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  return { keyId, publicKey: toBase64Url(raw), privateKey: pair.privateKey };
}

/** Publishes the device's public key at `users/{uid}/publicKeys/{keyId}` (never the private
 * key); other members seal messages for the member's newest key. */
export async function publishDeviceKey(
  db: Firestore,
  uid: string,
  key: DeviceKey,
  label?: string,
): Promise<void> {
  await setDoc(doc(db, 'users', uid, 'publicKeys', key.keyId), {
    algorithm: 'X25519',
    publicKey: key.publicKey,
    ...(label === undefined ? {} : { label }),
    createdAt: serverTimestamp(),
  });
}

/** A member's newest published key (null when they published none: they cannot be sent
 * sealed messages yet). */
export async function newestPublicKey(db: Firestore, uid: string): Promise<RecipientKey | null> {
  const snapshot = await getDocs(collection(db, 'users', uid, 'publicKeys'));
  let newest: { key: RecipientKey; at: number } | null = null;
  for (const found of snapshot.docs) {
    const data = found.data() as { publicKey: string; createdAt?: { toMillis(): number } };
    const at = data.createdAt?.toMillis() ?? 0;
    if (newest === null || at > newest.at) {
      newest = { key: { keyId: found.id, publicKey: data.publicKey }, at };
    }
  }
  return newest?.key ?? null;
}

/** Seals `text` for every participant (by uid, the sender included). */
export async function sealText(
  text: string,
  context: SealContext,
  recipients: Record<string, RecipientKey>,
): Promise<SealedMessage> {
  const contentKey = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const key = await subtle.importKey('raw', contentKey, 'AES-GCM', false, ['encrypt']);
  const ciphertext = await subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: bodyContext(context) },
    key,
    encoder.encode(text),
  );
  const wrapped: Record<string, SealedRecipient> = {};
  for (const [uid, recipient] of Object.entries(recipients)) {
    wrapped[uid] = await wrapFor(contentKey, uid, recipient);
  }
  return {
    scheme: E2E_SCHEME,
    nonce: toBase64Url(nonce),
    ciphertext: toBase64Url(new Uint8Array(ciphertext)),
    recipients: wrapped,
  };
}

/** The text of a sealed body, opened with this device's key; throws when the body was not
 * sealed for the key, or was altered or moved. */
export async function openText(
  sealed: SealedMessage,
  context: SealContext,
  uid: string,
  device: DeviceKey,
): Promise<string> {
  if (sealed.scheme !== E2E_SCHEME) {
    throw new Error(`unknown sealing scheme ${String(sealed.scheme)}`);
  }
  const mine = sealed.recipients[uid];
  if (mine === undefined || mine.keyId !== device.keyId) {
    throw new Error(`this message was not sealed for key ${device.keyId} of ${uid}`);
  }
  const wrapKey = await agreedKey(
    device.privateKey,
    fromBase64Url(mine.ephemeralKey),
    fromBase64Url(mine.ephemeralKey),
    fromBase64Url(device.publicKey),
  );
  const contentKey = await subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(mine.nonce), additionalData: wrapContext(uid, mine.keyId) },
    wrapKey,
    fromBase64Url(mine.wrappedKey),
  );
  const key = await subtle.importKey('raw', contentKey, 'AES-GCM', false, ['decrypt']);
  const text = await subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(sealed.nonce), additionalData: bodyContext(context) },
    key,
    fromBase64Url(sealed.ciphertext),
  );
  return new TextDecoder().decode(text);
}

async function wrapFor(
  contentKey: Uint8Array<ArrayBuffer>,
  uid: string,
  recipient: RecipientKey,
): Promise<SealedRecipient> {
  const ephemeral = (await subtle.generateKey(X25519, true, ['deriveBits'])) as CryptoKeyPair;
  const ephemeralRaw = new Uint8Array(await subtle.exportKey('raw', ephemeral.publicKey));
  const recipientRaw = fromBase64Url(recipient.publicKey);
  const wrapKey = await agreedKey(ephemeral.privateKey, recipientRaw, ephemeralRaw, recipientRaw);
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: wrapContext(uid, recipient.keyId) },
    wrapKey,
    contentKey,
  );
  return {
    keyId: recipient.keyId,
    ephemeralKey: toBase64Url(ephemeralRaw),
    nonce: toBase64Url(nonce),
    wrappedKey: toBase64Url(new Uint8Array(wrapped)),
  };
}

/** The AES-256-GCM key both sides derive: X25519(private, other public), then HKDF-SHA256 with
 * the ephemeral and the recipient's public keys as salt. */
async function agreedKey(
  privateKey: CryptoKey,
  otherPublic: Uint8Array<ArrayBuffer>,
  ephemeralPublic: Uint8Array<ArrayBuffer>,
  recipientPublic: Uint8Array<ArrayBuffer>,
): Promise<CryptoKey> {
  const other = await subtle.importKey('raw', otherPublic, X25519, false, []);
  const shared = await subtle.deriveBits({ name: 'X25519', public: other }, privateKey, 256);
  const material = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const salt = new Uint8Array(ephemeralPublic.length + recipientPublic.length);
  salt.set(ephemeralPublic);
  salt.set(recipientPublic, ephemeralPublic.length);
  return subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: encoder.encode(`${E2E_SCHEME} key wrap`) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function bodyContext(context: SealContext): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${E2E_SCHEME}|${context.conversationId}|${context.senderId}`);
}

function wrapContext(uid: string, keyId: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${E2E_SCHEME}|${uid}|${keyId}`);
}

function toBase64Url(bytes: Uint8Array<ArrayBuffer>): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
