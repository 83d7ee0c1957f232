import {
  doc,
  getDocs,
  Timestamp,
  DocumentReference,
  type DocumentSnapshot,
  type Query,
} from 'firebase/firestore';

import { MitcheClientError, type MitcheClient } from './client.js';

/** Where a paged query continues: the last document of the previous page. */
export interface PageOptions {
  startAfter?: DocumentSnapshot<any, any>;
}

/** One page of a query and where the next one starts (null after the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly ids: string[];
  readonly next: DocumentSnapshot<T, any> | null;
}

/**
 * Read one page of a paged catalog query: `page((o) => messagesOfConversation(c, p, o), cursor)`.
 * The next cursor is the page's last document when the page was full.
 */
export async function page<T>(
  build: (options: PageOptions) => Query<T>,
  after: DocumentSnapshot<any, any> | null = null,
  pageSize?: number,
): Promise<Page<T>> {
  const snapshot = await getDocs(build(after ? { startAfter: after } : {}));
  const docs = snapshot.docs;
  const full = pageSize === undefined ? docs.length > 0 : docs.length >= pageSize;
  return {
    items: docs.map((one) => one.data()),
    ids: docs.map((one) => one.id),
    next: full ? (docs.at(-1) ?? null) : null,
  };
}

export interface ParamSpec {
  kind: string;
  choices: readonly string[];
  maximum: number | null;
}

export function checkParam(queryName: string, name: string, value: unknown, spec: ParamSpec): void {
  const fail = (problem: string) => {
    throw new MitcheClientError(`${queryName}: parameter ${name} ${problem}`);
  };
  if (spec.kind === 'int') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(`is ${String(value)}, must be a positive integer`);
    if (spec.maximum !== null && (value as number) > spec.maximum) fail(`is ${String(value)}, at most ${spec.maximum} allowed`);
  } else if (spec.kind === 'list') {
    if (!Array.isArray(value) || value.length < 1 || value.length > 30) fail('must be a list of 1 to 30 strings');
    const wrong = (value as unknown[]).filter((item) => typeof item !== 'string' || (spec.choices.length > 0 && !spec.choices.includes(item)));
    if (wrong.length) fail(`has ${JSON.stringify(wrong)}; items must be among ${spec.choices.join(', ')}`);
  } else if (spec.kind === 'timestamp') {
    if (!(value instanceof Date) && !(value instanceof Timestamp)) fail('must be a Date or a Timestamp');
  } else if (spec.kind === 'reference') {
    if (!(value instanceof DocumentReference) && (typeof value !== 'string' || value.split('/').length % 2 !== 0)) fail('must be a document path or reference');
  } else {
    if (typeof value !== 'string' || value === '') fail('must be a non-empty string');
    if (spec.choices.length > 0 && !spec.choices.includes(value as string)) fail(`is ${String(value)}, must be one of ${spec.choices.join(', ')}`);
  }
}

export function asReference(client: MitcheClient, value: string | DocumentReference<any, any>): DocumentReference {
  return typeof value === 'string' ? doc(client.db, value) : doc(client.db, value.path);
}

export function asTimestamp(value: Date | Timestamp): Timestamp {
  return value instanceof Date ? Timestamp.fromDate(value) : value;
}
