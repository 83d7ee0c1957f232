import { GeoPoint } from 'firebase/firestore';

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** The geohash of a point, `precision` characters long (the standard interleaving). */
export function geohash(latitude: number, longitude: number, precision: number): string {
  if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
    throw new RangeError(`(${latitude}, ${longitude}) is not a latitude and longitude in degrees`);
  }
  let lat: [number, number] = [-90, 90];
  let lon: [number, number] = [-180, 180];
  let hash = '';
  let bits = 0;
  let value = 0;
  let even = true;
  while (hash.length < precision) {
    const range = even ? lon : lat;
    const coordinate = even ? longitude : latitude;
    const middle = (range[0] + range[1]) / 2;
    value <<= 1;
    if (coordinate >= middle) {
      value |= 1;
      range[0] = middle;
    } else {
      range[1] = middle;
    }
    even = !even;
    bits += 1;
    if (bits === 5) {
      hash += BASE32[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

/** The centre of a geohash cell, as the rules' `isCellCentre` recomputes it. */
export function cellCentre(hash: string): GeoPoint {
  let lat: [number, number] = [-90, 90];
  let lon: [number, number] = [-180, 180];
  let even = true;
  for (const char of hash) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new RangeError(`${hash} is not a geohash`);
    for (let bit = 4; bit >= 0; bit -= 1) {
      const range = even ? lon : lat;
      const middle = (range[0] + range[1]) / 2;
      if ((value >> bit) & 1) range[0] = middle;
      else range[1] = middle;
      even = !even;
    }
  }
  return new GeoPoint((lat[0] + lat[1]) / 2, (lon[0] + lon[1]) / 2);
}

/** Where something is, as public documents show it: the ~1 km cell (6 characters) holding the
 * point, its centre, and the ~5 km area (5 characters) with a human label; never the point. */
export function publicLocation(latitude: number, longitude: number, areaLabel: string) {
  const cell = geohash(latitude, longitude, 6);
  return {
    area: { geohash: cell.slice(0, 5), label: areaLabel },
    geohash: cell,
    point: cellCentre(cell),
  };
}

/** The exact place, for private documents only (`requests/{id}/private/location`). */
export function exactLocation(latitude: number, longitude: number, address?: string) {
  return {
    point: new GeoPoint(latitude, longitude),
    geohash: geohash(latitude, longitude, 9),
    ...(address === undefined ? {} : { address }),
  };
}
