// The package's location helpers on points the Python test chooses: prints, for each point,
// the public location and the exact location's geohash as JSON.
import { readFileSync } from 'node:fs';

import { exactLocation, publicLocation } from '@mitche/client';

const points = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as [number, number][];
const out = points.map(([latitude, longitude]) => {
  const place = publicLocation(latitude, longitude, 'Somewhere');
  return {
    area: place.area.geohash,
    geohash: place.geohash,
    centre: [place.point.latitude, place.point.longitude],
    exact: exactLocation(latitude, longitude).geohash,
  };
});
console.log(JSON.stringify(out));
