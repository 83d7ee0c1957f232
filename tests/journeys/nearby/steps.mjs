// Near me, as the Mitché app reads it: the cells whose centre lies within the radius, the
// near-me entries of those cells (`systemSettings/nearMe/nearbyRequests`, kept by the
// functions) in key order, sorted by (key, distance, id), and each request of the page read
// through its own rules. The first page only, read exactly: every stream is read past the key
// of the page's last entry, so equal keys are ordered by distance as mitche.queries.near_me
// orders them.
import { getDoc, getDocs } from 'firebase/firestore';

import {
  cellCentre,
  geohash,
  nearbyRequestsAreas,
  nearbyRequestsCells,
  publicLocation as libraryPublicLocation,
  requests,
} from '@mitche/client';

const EARTH_RADIUS_M = 6_371_008.8;
const BITS = 15; // a 6-character geohash: 15 bits of latitude, 15 of longitude
const LAT_STEP = 180 / 2 ** BITS;
const LNG_STEP = 360 / 2 ** BITS;
const PAGE = 20;

/** The 6-character cell of a point (the library's geohash). */
export function cellOf(latitude, longitude) {
  return geohash(latitude, longitude, 6);
}

/** The centre of a cell: where a request published in it is placed (the library's). */
export function centreOf(cell) {
  return cellCentre(cell);
}

function distanceM(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The cells whose centre lies within `radiusM` of `centre`, with their distances. */
export function cellsWithin(centre, radiusM) {
  const latSpan = (radiusM / 111_320) * 1.01 + LAT_STEP;
  const cos = Math.max(0.01, Math.cos(((Math.abs(centre.latitude) + latSpan) * Math.PI) / 180));
  const lngSpan = (radiusM / (111_320 * cos)) * 1.01 + LNG_STEP;
  const found = new Map();
  for (let lat = centre.latitude - latSpan; lat <= centre.latitude + latSpan; lat += LAT_STEP) {
    for (let lng = centre.longitude - lngSpan; lng <= centre.longitude + lngSpan; lng += LNG_STEP) {
      const cell = cellOf(lat, lng);
      const distance = distanceM(centre, centreOf(cell));
      if (distance <= radiusM) found.set(cell, distance);
    }
  }
  return found;
}

function streams(cells) {
  const byArea = new Map();
  for (const cell of cells.keys()) {
    const area = cell.slice(0, 5);
    byArea.set(area, [...(byArea.get(area) ?? []), cell]);
  }
  const areas = [...byArea].filter(([, inside]) => inside.length === 32).map(([area]) => area);
  const loose = [...cells.keys()].filter((cell) => !areas.includes(cell.slice(0, 5)));
  const chunks = (field, values) =>
    Array.from({ length: Math.ceil(values.length / 30) }, (_, i) => ({
      field,
      values: values.slice(i * 30, i * 30 + 30),
    }));
  return [...chunks('area', areas.sort()), ...chunks('cell', loose.sort())];
}

// One stream of the page through the catalog's query functions (nearby.requests.areas or
// .cells), read in pages of PAGE + 1 until past the key of the page's last entry.
async function readStream(client, stream, pastKey) {
  const read = stream.field === 'area' ? nearbyRequestsAreas : nearbyRequestsCells;
  const rows = [];
  let last;
  for (;;) {
    const params = { [`${stream.field}s`]: stream.values, low: '!', high: '\u007f', limit: PAGE + 1 };
    const snapshot = await getDocs(read(client, params, { startAfter: last }));
    rows.push(...snapshot.docs.map((d) => ({ id: d.id, ...d.data() })));
    last = snapshot.docs.at(-1);
    const tail = rows.at(-1);
    if (snapshot.size < PAGE + 1 || rows.length >= PAGE + 1 && tail.key > pastKey(rows)) break;
  }
  return rows;
}

/**
 * The first page of open requests within `radiusKm` of `where` that `member` may read: most
 * urgent first, then soonest deadline, then nearest. Resolves to the requests' ids and data.
 */
export async function findsNearby(member, where, radiusKm) {
  const cells = cellsWithin(where, radiusKm * 1000);
  const order = (a, b) =>
    a.key !== b.key
      ? (a.key < b.key ? -1 : 1)
      : cells.get(a.cell) - cells.get(b.cell) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const pastKey = (rows) => [...rows].sort(order)[Math.min(rows.length, PAGE) - 1].key;
  const all = (await Promise.all(streams(cells).map((s) => readStream(member.client, s, pastKey))))
    .flat()
    .filter((entry) => cells.has(entry.cell));
  const page = all.sort(order).slice(0, PAGE);
  const found = [];
  for (const entry of page) {
    const snapshot = await getDoc(requests.doc(member.db, entry.id)).catch(() => null);
    if (snapshot?.exists()) found.push({ id: entry.id, data: snapshot.data() });
  }
  return found;
}

/** The public location of a request at `point`: its cell, area and the cell's centre (the
 * library's `publicLocation`, computed as the rules check it). */
export function publicLocation(point, label) {
  return libraryPublicLocation(point.latitude, point.longitude, label);
}
