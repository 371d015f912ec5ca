import type { Database, OpeningHours, SpaceKind } from '../../booking-core/index.ts';

export const ALWAYS_OPEN: OpeningHours = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
);

let counter = 0;

/** Inserts a facility with the given number of spaces per kind; returns its id and space ids by kind. */
export async function createFacility(
  db: Database,
  o: {
    spaces?: Partial<Record<SpaceKind, number>>;
    openingHours?: OpeningHours;
    maxStayMinutes?: number;
    hourlyRateMinor?: number;
    timeZone?: string;
    latitude?: number;
    longitude?: number;
    name?: string;
  } = {},
) {
  counter += 1;
  const code = `T${counter}${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
  const facility = await db.prisma.facility.create({
    data: {
      code,
      name: o.name ?? `Test Car Park ${code}`,
      address: '1 Test Street',
      latitude: o.latitude ?? 51.5,
      longitude: o.longitude ?? -0.12,
      timeZone: o.timeZone ?? 'Europe/London',
      openingHours: (o.openingHours ?? ALWAYS_OPEN) as object,
      currency: 'GBP',
      hourlyRateMinor: o.hourlyRateMinor ?? 400,
      maxStayMinutes: o.maxStayMinutes ?? 24 * 60,
    },
    select: { id: true },
  });
  const spaceIds: Partial<Record<SpaceKind, string[]>> = {};
  for (const [kind, n] of Object.entries(o.spaces ?? { standard: 3 }) as Array<[SpaceKind, number]>) {
    for (let i = 0; i < n; i++) {
      const s = await db.prisma.space.create({
        data: { facilityId: facility.id, code: `${kind}-${i + 1}`, kind, level: '0' },
        select: { id: true },
      });
      (spaceIds[kind] ??= []).push(s.id);
    }
  }
  return { id: facility.id, code, spaceIds };
}

/** A clock tests move by hand. */
export class TestClock {
  constructor(public current = new Date('2030-06-03T08:00:00Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const hours = (n: number) => n * 3_600_000;
export const minutes = (n: number) => n * 60_000;
