// Near me, as the Mitché app reads it: the cells whose centre lies within the radius, the
// near-me entries of those cells (`systemSettings/nearMe/nearbyRequests`, kept by the
// functions) in key order, sorted by (key, distance, id), and each request of the page read
// through its own rules. The first page only, read exactly: every stream is read past the key
// of the page's last entry, so equal keys are ordered by distance as mitche.queries.near_me
// orders them.
import { doc, getDoc, getDocs } from 'firebase/firestore';

import { mitcheClient, nearbyRequestsAreas, nearbyRequestsCells } from '@mitche/client';

const clientOf = (member) =>
  member.client ?? mitcheClient({ db: member.db, functions: member.functions, auth: member.auth });

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
const EARTH_RADIUS_M = 6_371_008.8;
const BITS = 15; // a 6-character geohash: 15 bits of latitude, 15 of longitude
const LAT_STEP = 180 / 2 ** BITS;
const LNG_STEP = 360 / 2 ** BITS;
const PAGE = 20;

/** The 6-character cell of a point. */
export function cellOf(latitude, longitude) {
  let [latLo, latHi, lngLo, lngHi] = [-90, 90, -180, 180];
  let hash = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < 30; i += 1) {
    value <<= 1;
    if (i % 2 === 0) {
      const middle = (lngLo + lngHi) / 2;
      if (longitude >= middle) [value, lngLo] = [value | 1, middle];
      else lngHi = middle;
    } else {
      const middle = (latLo + latHi) / 2;
      if (latitude >= middle) [value, latLo] = [value | 1, middle];
      else latHi = middle;
    }
    bits += 1;
    if (bits === 5) {
      hash += BASE32[value];
      [bits, value] = [0, 0];
    }
  }
  return hash;
}

/** The centre of a cell: where a request published in it is placed. */
export function centreOf(cell) {
  let [latLo, latHi, lngLo, lngHi] = [-90, 90, -180, 180];
  let even = true;
  for (const char of cell) {
    const value = BASE32.indexOf(char);
    for (let bit = 4; bit >= 0; bit -= 1) {
      const on = (value >> bit) & 1;
      if (even) {
        const middle = (lngLo + lngHi) / 2;
        if (on) lngLo = middle;
        else lngHi = middle;
      } else {
        const middle = (latLo + latHi) / 2;
        if (on) latLo = middle;
        else latHi = middle;
      }
      even = !even;
    }
  }
  return { latitude: (latLo + latHi) / 2, longitude: (lngLo + lngHi) / 2 };
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
  const all = (await Promise.all(streams(cells).map((s) => readStream(clientOf(member), s, pastKey))))
    .flat()
    .filter((entry) => cells.has(entry.cell));
  const page = all.sort(order).slice(0, PAGE);
  const found = [];
  for (const entry of page) {
    const snapshot = await getDoc(doc(member.db, 'requests', entry.id)).catch(() => null);
    if (snapshot?.exists()) found.push({ id: entry.id, data: snapshot.data() });
  }
  return found;
}

/** The public location of a request at `point`: its cell, area and the cell's centre. */
export function publicLocation(point, label, GeoPoint) {
  const cell = cellOf(point.latitude, point.longitude);
  const centre = centreOf(cell);
  return {
    area: { geohash: cell.slice(0, 5), label },
    geohash: cell,
    point: new GeoPoint(centre.latitude, centre.longitude),
  };
}
