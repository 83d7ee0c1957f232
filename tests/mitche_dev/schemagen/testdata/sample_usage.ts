// Uses the declarations generated from testdata/sample_models.py the way a client app would;
// test_tsc.py compiles it next to them. Every `@ts-expect-error` line must fail to type-check.
import {
  Collections,
  type CollectionDocuments,
  type CollectionName,
  type DocumentShapes,
  type FirestoreTimestamp,
  type Mood,
  type Sample,
  type SampleSecret,
} from "./schema/mitche.js";

// A stand-in for firebase/firestore's Timestamp, shaped like the SDK class.
class SdkTimestamp {
  constructor(readonly seconds: number, readonly nanoseconds: number) {}
  toDate(): Date {
    return new Date(this.seconds * 1000 + this.nanoseconds / 1e6);
  }
  toMillis(): number {
    return this.seconds * 1000 + Math.floor(this.nanoseconds / 1e6);
  }
  isEqual(other: SdkTimestamp): boolean {
    return this.seconds === other.seconds && this.nanoseconds === other.nanoseconds;
  }
}

const createdAt: FirestoreTimestamp = new SdkTimestamp(1_700_000_000, 0);

export const sample: Sample = {
  name: "Corner pantry",
  count: 3,
  score: 4.5,
  active: true,
  mood: "inAHurry",
  priority: 2,
  channel: "email",
  gauge: { level: 4, ratio: 0.25 },
  tags: ["food", "night"],
  gauges: [{ level: 1 }, null],
  perMood: { calm: 2 },
  labels: { floor: "ground" },
  note: null,
  part: { kind: "image", path: "uploads/u1/p.png" },
  either: "seven",
  createdAt,
  place: { latitude: 48.8566, longitude: 2.3522 },
  authorRef: { id: "u1", path: "users/u1" },
  ownerId: "u1",
  pair: [1, "one"],
  code: "PANTRY",
};

export const secret: DocumentShapes["users/{sampleId}/private/secret"] = { secret: "s3cret" };
export const other: CollectionDocuments["requests"] = { mood: "calm" };
export const collection: CollectionName = Collections.users;

export function describe(part: Sample["part"]): string {
  // The discriminator narrows the union.
  return part.kind === "text" ? part.text : part.path;
}

export function moodCount(value: Sample, mood: Mood): number {
  return value.perMood?.[mood] ?? 0;
}

// @ts-expect-error a value outside the enum
export const badMood: Mood = "grumpy";
// @ts-expect-error a required field is missing
export const missingName: Sample = { ...sample, name: undefined };
// @ts-expect-error an unknown field
export const extraField: SampleSecret = { secret: "x", unknown: 1 };
// @ts-expect-error a timestamp is not a string
export const stringDate: Sample = { ...sample, createdAt: "2024-01-01T00:00:00Z" };
// @ts-expect-error the tuple has two members
export const longPair: Sample = { ...sample, pair: [1, "one", 2] };
// @ts-expect-error not a collection name
export const notCollection: CollectionName = "sample";
