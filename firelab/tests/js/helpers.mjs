// Shared by the Node test files, whatever SDK build they load: where the server is, and the
// waiting, recording and comparing the transcripts need.
//
// FIRESTORE_EMULATOR_HOST names the server (tests/firelab/js/test_js_sdk.py sets it). Each test
// file uses its own projects, so files never see each other's data.
import assertModule from 'node:assert/strict';

const hostAndPort = process.env.FIRESTORE_EMULATOR_HOST;
if (!hostAndPort) {
  throw new Error('FIRESTORE_EMULATOR_HOST must name the server under test (host:port)');
}
const separator = hostAndPort.lastIndexOf(':');
export const host = hostAndPort.slice(0, separator);
export const port = Number(hostAndPort.slice(separator + 1));
export const baseUrl = `http://${hostAndPort}`;

/** `value` with object keys sorted (the official emulator returns fields in write order). */
export function sorted(value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]));
  }
  return value;
}

/** Document data as the transcripts print it: keys sorted, timestamps as 'timestamp'. */
export function printable(data) {
  if (data === undefined || data === null) return null;
  const clean = (value) => {
    if (value && typeof value.toMillis === 'function') return 'timestamp';
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, clean(value[key])]));
    }
    return value;
  };
  return clean(data);
}

/**
 * Runs named steps and collects what listeners report during each, like the recording scripts.
 * After each step it waits until every listener has reported as many snapshots as the expected
 * transcript holds for that step (no quiet period: a snapshot too many lands in the next step
 * and fails the comparison there; a missing one fails it after a 10 s safety net).
 */
export class Transcript {
  constructor(expected) {
    this.steps = [];
    this.expected = expected;
    this.waiting = null;
  }

  record(listener, entry) {
    (this.steps.at(-1).listeners[listener] ??= []).push(entry);
    if (this.waiting && this.waiting.done()) this.waiting.resolve();
  }

  async step(name, action) {
    this.steps.push({ step: name, listeners: {} });
    const wanted = this.expected[this.steps.length - 1]?.listeners ?? {};
    const current = this.steps.at(-1);
    await action();
    const done = () =>
      Object.entries(wanted).every(
        ([listener, entries]) => (current.listeners[listener]?.length ?? 0) >= entries.length,
      );
    if (done()) return;
    let safetyNet;
    await new Promise((resolve) => {
      this.waiting = { done, resolve };
      safetyNet = setTimeout(() => resolve(), 10000);
    });
    clearTimeout(safetyNet);
    this.waiting = null;
  }

  /** The steps with listeners listed by name (they fire in no particular order). */
  result() {
    return this.steps.map(({ step, listeners }) => ({
      step,
      listeners: Object.fromEntries(Object.keys(listeners).sort().map((k) => [k, listeners[k]])),
    }));
  }
}

/** Resolves once `listen(callback)` reports a snapshot that came from the server. */
export function serverSnapshot(listen) {
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    let done = false;
    const finish = (snapshot) => {
      done = true;
      if (unsubscribe) unsubscribe();
      resolve(snapshot);
    };
    unsubscribe = listen(
      (snapshot) => {
        if (!done && !snapshot.metadata.fromCache) finish(snapshot);
      },
      (error) => reject(error),
    );
    if (done) unsubscribe();
  });
}

/** The parsed official recording `results/<name>`. */
export async function officialRecording(name) {
  const { readFile } = await import('node:fs/promises');
  const url = new URL(`../oracle/firestore-emulator-1.22.0/results/${name}`, import.meta.url);
  return JSON.parse(await readFile(url, 'utf8'));
}

/** An HTTP request to the server's own endpoints; resolves to the response. */
export function request(method, path) {
  return fetch(`${baseUrl}${path}`, { method });
}

/**
 * Compares transcripts step by step, so a failure names the first step that differs and shows
 * both versions of it in full.
 */
export function assertSameSteps(actual, expected) {
  const { deepStrictEqual } = assertModule;
  const count = Math.max(actual.length, expected.length);
  for (let i = 0; i < count; i += 1) {
    const got = actual[i];
    const want = expected[i];
    const name = (want ?? got).step ?? (want ?? got).name;
    deepStrictEqual(
      got,
      want,
      `step ${i} (${name}) differs:\n  got      ${JSON.stringify(got)}\n  expected ${JSON.stringify(want)}`,
    );
  }
}
