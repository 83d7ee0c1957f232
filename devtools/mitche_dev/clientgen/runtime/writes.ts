import {
  collection,
  doc,
  type CollectionReference,
  type DocumentData,
  FieldValue,
  serverTimestamp,
  type DocumentReference,
  type Firestore,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
  type SnapshotOptions,
  type Timestamp,
  type WriteBatch,
  type Transaction,
  type GeoPoint,
} from 'firebase/firestore';

import type * as S from './schema.js';
import { assertValidWrite } from './validate.js';

type Model = S.DocumentShapes[keyof S.DocumentShapes];

/**
 * The value a client writes for a stored value of type T: a Timestamp field also takes a Date
 * or `serverTimestamp()` (the rules demand `request.time` for most of them), a number also takes
 * `increment()`, a reference also takes the SDK's DocumentReference.
 */
export type Writable<T> = T extends S.FirestoreTimestamp
  ? Timestamp | Date | FieldValue
  : T extends S.FirestoreDocumentReference
    ? DocumentReference<any, any>
    : T extends S.FirestoreGeoPoint
      ? GeoPoint | S.FirestoreGeoPoint
      : T extends number
        ? number | FieldValue
        : T extends readonly (infer U)[]
          ? Writable<U>[] | FieldValue
          : T extends object
            ? { [K in keyof T]: Writable<T[K]> }
            : T;

/** Reads a document as its model's type; writes go through `create` and `update` below. */
export function converter<T extends Model>(): FirestoreDataConverter<T, DocumentData> {
  return {
    toFirestore: (data) => data as DocumentData,
    fromFirestore: (snapshot: QueryDocumentSnapshot, options?: SnapshotOptions) =>
      snapshot.data(options) as T,
  };
}

interface Shape {
  readonly path: string;
  readonly createFields: readonly string[];
  readonly updateFields: readonly string[];
  readonly requiredOnCreate: readonly string[];
  /** Server fields a client only withdraws: the one value an update may write to each
   * ('serverTimestamp()' stands for the sentinel of the same name). */
  readonly withdrawals?: { readonly [field: string]: { readonly [key: string]: string } };
  readonly schema: { readonly [key: string]: unknown };
}

/** Where the writes of one step go: a batch or a transaction of the caller's. */
export type Writer = WriteBatch | Transaction;

function only(shape: Shape, data: object, allowed: readonly string[], what: string): void {
  const extra = Object.keys(data).filter((key) => !allowed.includes(key.split('.')[0]!));
  if (extra.length) {
    throw new TypeError(`${shape.path}: a client ${what} cannot write ${extra.join(', ')}`);
  }
}

/** Add the creation of `ref` to `writer`, after checking the data against the schema. */
export function create<T extends Model, D extends object>(
  writer: Writer,
  shape: Shape,
  ref: DocumentReference<T>,
  data: D,
  options: { merge?: boolean } = {},
): void {
  only(shape, data, shape.createFields, options.merge ? 'set' : 'create');
  assertValidWrite(shape.schema, data as Record<string, unknown>, options.merge ? 'none' : shape.requiredOnCreate);
  const raw = ref.withConverter(null);
  if (options.merge) (writer as WriteBatch).set(raw, data as DocumentData, { merge: true });
  else (writer as WriteBatch).set(raw, data as DocumentData);
}

function isWithdrawal(value: unknown, withdrawal: { readonly [key: string]: string }): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    entries.length === Object.keys(withdrawal).length &&
    entries.every(([key, given]) => {
      const expected = withdrawal[key];
      if (expected === 'serverTimestamp()') {
        return given instanceof FieldValue && given.isEqual(serverTimestamp());
      }
      return expected !== undefined && given === expected;
    })
  );
}

/** Add an update of `ref` to `writer` (dotted keys update one entry of a map); a withdrawn
 * server field must hold exactly its withdrawal. */
export function update<T extends Model, D extends object>(
  writer: Writer,
  shape: Shape,
  ref: DocumentReference<T>,
  data: D,
): void {
  const withdrawals = shape.withdrawals ?? {};
  only(shape, data, [...shape.updateFields, ...Object.keys(withdrawals)], 'update');
  for (const [key, withdrawal] of Object.entries(withdrawals)) {
    if (key in data && !isWithdrawal((data as Record<string, unknown>)[key], withdrawal)) {
      throw new TypeError(`${shape.path}: a client update writes ${key} only to withdraw it`);
    }
  }
  const plain = Object.fromEntries(Object.entries(data).filter(([key]) => !key.includes('.')));
  assertValidWrite(shape.schema, plain, 'none');
  (writer as WriteBatch).update(ref.withConverter(null), data as DocumentData);
}
