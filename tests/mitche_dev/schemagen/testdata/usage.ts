// Client-app code against the committed schema/mitche.d.ts; test_tsc.py compiles the two
// together with `tsc --strict`. Every `@ts-expect-error` line must fail to type-check.
import {
  Collections,
  type CollectionDocuments,
  type CollectionName,
  type DocumentShapes,
  type FirestoreDocumentReference,
  type FirestoreGeoPoint,
  type FirestoreTimestamp,
  type HelpRequest,
  type Message,
  type Offering,
  type RequestLocation,
  type UrgencyLevel,
  type User,
} from "../../../../schema/mitche.js";

// Stand-ins for the firebase/firestore classes, shaped like the SDK's.
class Timestamp {
  constructor(readonly seconds: number, readonly nanoseconds: number) {}
  static fromMillis(millis: number): Timestamp {
    return new Timestamp(Math.floor(millis / 1000), (millis % 1000) * 1e6);
  }
  toDate(): Date {
    return new Date(this.toMillis());
  }
  toMillis(): number {
    return this.seconds * 1000 + Math.floor(this.nanoseconds / 1e6);
  }
}
class GeoPoint {
  constructor(readonly latitude: number, readonly longitude: number) {}
}
class DocumentReference {
  constructor(readonly path: string) {}
  get id(): string {
    return this.path.split("/").pop() ?? "";
  }
  readonly type = "document";
}

const now: FirestoreTimestamp = Timestamp.fromMillis(Date.UTC(2024, 4, 12, 9, 30));
const cellCentre: FirestoreGeoPoint = new GeoPoint(48.8712, 2.3843);
const requestRef: FirestoreDocumentReference = new DocumentReference("requests/req_42");

export const user: User = {
  profile: { displayName: "Amina", anonymousAlias: "Quiet Lantern", languages: ["fr", "ar"] },
  createdAt: now,
  updatedAt: now,
};

export const request: CollectionDocuments["requests"] = {
  requesterId: "uid_amina",
  title: "Groceries for this week",
  description: "I am recovering from surgery and cannot carry bags up four floors.",
  category: "food",
  urgency: "high",
  deadline: Timestamp.fromMillis(Date.UTC(2024, 4, 14)),
  visibility: "community",
  location: {
    area: { geohash: "u09wj", label: "Belleville, Paris" },
    geohash: "u09wjb",
    point: cellCentre,
  },
  attachments: [
    {
      storagePath: "uploads/uid_amina/requests/list.png",
      ownerId: "uid_amina",
      contentType: "image/png",
      sizeBytes: 48_213,
      width: 800,
      height: 1200,
    },
  ],
  status: "open",
  createdAt: now,
  updatedAt: now,
};

export const exactLocation: DocumentShapes["requests/{requestId}/private/location"] = {
  exact: { point: new GeoPoint(48.87123, 2.38431), geohash: "u09wjbxyz", address: "12 rue X" },
  updatedAt: now,
};

export const offering: Offering = {
  helperId: "uid_bruno",
  offeringType: "financial",
  requestPath: requestRef,
  requesterId: "uid_amina",
  title: "Covering this week's groceries",
  category: "food",
  financial: { amount: { amountMinor: 4500, currency: "EUR" }, method: "gift" },
  createdAt: now,
  updatedAt: now,
};

export const message: Message = {
  conversationId: "conv_7",
  participantIds: ["uid_amina", "uid_bruno"],
  senderId: "uid_bruno",
  messageType: "location",
  location: { point: cellCentre, label: "Outside the bakery" },
  reactions: { "🙏": ["uid_amina"] },
  readBy: { uid_amina: now },
  createdAt: now,
};

export const collectionOfRequests: CollectionName = Collections.requests;

export function isUrgent(value: HelpRequest): boolean {
  const urgent: UrgencyLevel[] = ["high", "critical"];
  return urgent.includes(value.urgency ?? "medium");
}

export function whereExactly(value: RequestLocation): [number, number] {
  return [value.exact.point.latitude, value.exact.point.longitude];
}

// @ts-expect-error not an urgency level
export const wrongUrgency: HelpRequest = { ...request, urgency: "asap" };
// @ts-expect-error a timestamp, not an ISO string
export const stringDeadline: HelpRequest = { ...request, deadline: "2024-05-14T00:00:00Z" };
// @ts-expect-error unknown field
export const unknownField: User = { ...user, karma: 3 };
// @ts-expect-error a reference, not a bare path string
export const pathString: Offering = { ...offering, requestPath: "requests/req_42" };
// @ts-expect-error the collection is `communityEvents`
export const wrongName: CollectionName = "events";
