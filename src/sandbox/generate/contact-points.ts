/** A person's contact points: names, emails, phones, socials, urls, external ids and postal locations. */
import type { Rng } from '../random';
import { EMPTY, flat, type Attrs } from './json-api';
import { EMAIL_DOMAINS, FIRST, LAST } from './text-pools';

interface Place {
  countryCode: string;
  countryName: string;
  regionCode: string | null;
  regionName: string | null;
  cityName: string;
  zipCode: string | null;
  lat: number;
  lon: number;
}
const PLACES: readonly Place[] = [
  { countryCode: 'US', countryName: 'United States', regionCode: 'NY', regionName: 'New York', cityName: 'New York', zipCode: '10001', lat: 40.7506, lon: -73.9972 },
  { countryCode: 'US', countryName: 'United States', regionCode: 'CA', regionName: 'California', cityName: 'San Francisco', zipCode: '94103', lat: 37.7725, lon: -122.4091 },
  { countryCode: 'BR', countryName: 'Brazil', regionCode: 'SP', regionName: 'São Paulo', cityName: 'São Paulo', zipCode: '01310-100', lat: -23.5614, lon: -46.6559 },
  { countryCode: 'CH', countryName: 'Switzerland', regionCode: 'ZH', regionName: 'Zürich', cityName: 'Zürich', zipCode: '8001', lat: 47.3769, lon: 8.5417 },
  { countryCode: 'JP', countryName: 'Japan', regionCode: '13', regionName: '東京都', cityName: '渋谷区', zipCode: '150-0002', lat: 35.6595, lon: 139.7005 },
  { countryCode: 'CA', countryName: 'Canada', regionCode: 'QC', regionName: 'Québec', cityName: 'Montréal', zipCode: 'H2X 1Y4', lat: 45.5088, lon: -73.5617 },
  { countryCode: 'PL', countryName: 'Poland', regionCode: null, regionName: 'Małopolskie', cityName: 'Kraków', zipCode: '31-001', lat: 50.0614, lon: 19.9366 },
  { countryCode: 'IS', countryName: 'Iceland', regionCode: null, regionName: null, cityName: 'Reykjavík', zipCode: '101', lat: 64.1466, lon: -21.9426 },
  { countryCode: 'GB', countryName: 'United Kingdom', regionCode: 'ENG', regionName: 'England', cityName: 'London', zipCode: 'EC1A 1BB', lat: 51.5202, lon: -0.0979 },
  { countryCode: 'DE', countryName: 'Germany', regionCode: 'BE', regionName: 'Berlin', cityName: 'Berlin', zipCode: '10115', lat: 52.532, lon: 13.3849 },
  { countryCode: 'AE', countryName: 'United Arab Emirates', regionCode: 'DU', regionName: 'Dubai', cityName: 'دبي', zipCode: null, lat: 25.2048, lon: 55.2708 },
  { countryCode: 'MX', countryName: 'Mexico', regionCode: 'CMX', regionName: 'Ciudad de México', cityName: 'Ciudad de México', zipCode: '06700', lat: 19.4194, lon: -99.1617 },
];
const STREETS = ['1 Main St', '221B Baker Street', 'Rua Augusta 1500', 'Bahnhofstrasse 12', '神南1-2-3', '123 Rue Sainte-Catherine', 'ul. Floriańska 14', 'Laugavegur 7', null];

export function personName(rng: Rng): { first: string; last: string; slug: string } {
  const f = rng.pick(FIRST);
  const l = rng.pick(LAST);
  return { first: f[0], last: l[0], slug: flat(f[1], '.', l[1]) };
}

function emailFor(rng: Rng, slug: string, n: number): string {
  const domain = rng.pick(EMAIL_DOMAINS);
  return n === 0 ? flat(slug, rng.int(1, 9999), '@', domain) : flat(slug.replace('.', '_'), n, rng.int(10, 999), '@', domain);
}

export function phoneNumber(rng: Rng): string {
  const cc = rng.weighted(['+1', '+44', '+33', '+81', '+55', '+49'], [6, 1, 1, 1, 1, 1]);
  return flat(cc, rng.int(200, 989), String(rng.int(0, 9999999)).padStart(7, '0'));
}

export function emailItems(rng: Rng, slug: string, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    const item: Attrs = { email: emailFor(rng, slug, i), type: rng.weighted(['home', 'work', 'other'], [6, 3, 1]), verified: rng.chance(0.3) };
    if (rng.chance(0.2)) item.externalVerified = rng.chance(0.5);
    out.push(item);
  }
  return out;
}

export function phoneItems(rng: Rng, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ phone: phoneNumber(rng), type: rng.weighted(['mobile', 'home', 'work', 'fax', 'other'], [6, 2, 2, 0.3, 0.5]), verified: rng.chance(0.2) });
  }
  return out;
}

export function socialItems(rng: Rng, slug: string, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    const type = rng.pick(['twitter', 'facebook', 'instagram', 'linkedin', 'pinterest'] as const);
    const username = slug.replace('.', '_') + (i > 0 ? String(i) : '');
    out.push({ type, userid: String(rng.int(100000, 999999999)), username, url: flat('https://', type, '.com/', username), verified: rng.chance(0.1) });
  }
  return out;
}

export function urlItems(rng: Rng, slug: string, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) {
    const type = rng.weighted(['website', 'blog', 'other'], [5, 2, 1]);
    out.push({ url: type === 'blog' ? flat('https://blog.example.com/', slug) : flat('https://', slug.replace('.', ''), '.example.net/', i), type });
  }
  return out;
}

export const LOCATION_POOL: readonly Attrs[] = (() => {
  const pool: Attrs[] = [];
  let k = 0;
  for (const p of PLACES) {
    for (const type of ['home', 'work', 'other']) {
      const street = STREETS[k++ % STREETS.length] ?? null;
      pool.push(
        Object.freeze({
          type,
          name: type === 'work' ? 'Office' : null,
          address: street,
          address2: k % 4 === 0 ? 'Apt 4B' : null,
          address3: null,
          latitude: k % 5 === 0 ? null : p.lat,
          longitude: k % 5 === 0 ? null : p.lon,
          countryCode: p.countryCode,
          countryName: p.countryName,
          regionCode: p.regionCode,
          regionName: p.regionName,
          cityName: p.cityName,
          zipCode: p.zipCode,
          areaCode: null,
        }),
      );
    }
  }
  return pool;
})();

export const RECENT_LOCATION_POOL: readonly Attrs[] = PLACES.map((p) =>
  Object.freeze({ countryName: p.countryName, regionName: p.regionName, cityName: p.cityName, zipCode: p.zipCode }),
);

export function externalIdItems(rng: Rng, count: number): Attrs[] {
  const out: Attrs[] = [];
  for (let i = 0; i < count; i++) out.push({ externalId: flat('ext-', rng.hex(10)), verified: rng.chance(0.5), id: null });
  return out;
}

export function orEmpty<T>(items: T[]): readonly T[] {
  return items.length === 0 ? EMPTY : items;
}
