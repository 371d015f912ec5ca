import type { PrismaClient } from './generated/client.ts';
import type { SpaceKind } from './generated/enums.ts';

/** Advisory lock key held while seeding, so two instances starting on an empty database seed once. */
const SEED_LOCK = 4_711_001;

type Hours = Record<string, Array<[string, string]>>;
const allWeek = (open: string, close: string): Hours =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [[open, close]]]));
const ALWAYS = allWeek('00:00', '24:00');

interface DemoFacility {
  code: string;
  name: string;
  aliases: string[];
  address: string;
  latitude: number;
  longitude: number;
  openingHours: Hours;
  hourlyRateMinor: number;
  maxStayMinutes: number;
  /** spaces per level, and how many of them are EV / accessible / motorcycle / family bays */
  levels: string[];
  perLevel: number;
  special: Partial<Record<SpaceKind, number>>;
}

/** A demo city: six London car parks near places drivers ask for, 490 spaces in all. */
export const DEMO_CITY: DemoFacility[] = [
  {
    code: 'KXC',
    name: "King's Cross St Pancras Car Park",
    aliases: ['kings cross', 'king’s cross', 'st pancras', 'kx', 'kings cross station'],
    address: '4 Pancras Road, London N1C 4AG',
    latitude: 51.5319,
    longitude: -0.1261,
    openingHours: ALWAYS,
    hourlyRateMinor: 650,
    maxStayMinutes: 72 * 60,
    levels: ['B1', 'B2'],
    perLevel: 40,
    special: { ev: 10, accessible: 6, motorcycle: 6 },
  },
  {
    code: 'WEM',
    name: 'Wembley Stadium Red Car Park',
    aliases: ['wembley', 'wembley stadium', 'the stadium', 'stadium', 'red car park'],
    address: 'Engineers Way, Wembley HA9 0WS',
    latitude: 51.5569,
    longitude: -0.2816,
    openingHours: allWeek('06:00', '24:00'),
    hourlyRateMinor: 400,
    maxStayMinutes: 12 * 60,
    levels: ['G', '1'],
    perLevel: 60,
    special: { ev: 12, accessible: 14, motorcycle: 8, family: 6 },
  },
  {
    code: 'WSB',
    name: "Westfield Shepherd's Bush",
    aliases: ['westfield', 'shepherds bush', 'shepherd’s bush', 'westfield london', 'white city'],
    address: 'Ariel Way, London W12 7GF',
    latitude: 51.5073,
    longitude: -0.2212,
    openingHours: allWeek('07:00', '24:00'),
    hourlyRateMinor: 350,
    maxStayMinutes: 8 * 60,
    levels: ['P1', 'P2'],
    perLevel: 45,
    special: { ev: 10, accessible: 8, family: 10 },
  },
  {
    code: 'CWJ',
    name: 'Canary Wharf Jubilee Place',
    aliases: ['canary wharf', 'jubilee place', 'the wharf', 'docklands'],
    address: '45 Bank Street, London E14 5NY',
    latitude: 51.5028,
    longitude: -0.0187,
    openingHours: {
      ...Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['06:00', '23:00']]])),
      sat: [['08:00', '20:00']],
      sun: [['10:00', '18:00']],
    },
    hourlyRateMinor: 750,
    maxStayMinutes: 14 * 60,
    levels: ['B1', 'B2'],
    perLevel: 35,
    special: { ev: 14, accessible: 4, motorcycle: 6 },
  },
  {
    code: 'SBC',
    name: 'Southbank Centre Car Park',
    aliases: ['southbank', 'south bank', 'royal festival hall', 'waterloo', 'london eye'],
    address: 'Belvedere Road, London SE1 8XX',
    latitude: 51.5058,
    longitude: -0.1164,
    openingHours: allWeek('07:00', '24:00'),
    hourlyRateMinor: 550,
    maxStayMinutes: 6 * 60,
    levels: ['B1'],
    perLevel: 50,
    special: { ev: 6, accessible: 5, motorcycle: 4 },
  },
  {
    code: 'PAD',
    name: 'Paddington Station Car Park',
    aliases: ['paddington', 'paddington station', 'heathrow express'],
    address: 'London Street, London W2 1HB',
    latitude: 51.5163,
    longitude: -0.1773,
    openingHours: ALWAYS,
    hourlyRateMinor: 600,
    maxStayMinutes: 14 * 24 * 60,
    levels: ['1', '2'],
    perLevel: 40,
    special: { ev: 8, accessible: 6, oversize: 4 },
  },
];

/**
 * A few demo bays watched by The Things Stack devices (Bosch Parking Lot Sensors), so the demo
 * shows both sensor formats: `npm run simulate` plays their uplinks. Until they report, their bays
 * count as unknown (never offered as free right now).
 */
export const DEMO_SENSORS: ReadonlyArray<{ deviceId: string; facilityCode: string; spaceCode: string }> = [
  { deviceId: 'kxc-b1-021', facilityCode: 'KXC', spaceCode: 'B1-021' },
  { deviceId: 'kxc-b1-022', facilityCode: 'KXC', spaceCode: 'B1-022' },
  { deviceId: 'kxc-b1-023', facilityCode: 'KXC', spaceCode: 'B1-023' },
  { deviceId: 'kxc-b1-024', facilityCode: 'KXC', spaceCode: 'B1-024' },
  { deviceId: 'pad-1-030', facilityCode: 'PAD', spaceCode: '1-030' },
  { deviceId: 'pad-1-031', facilityCode: 'PAD', spaceCode: '1-031' },
];

export interface SeedReport {
  readonly seeded: boolean;
  readonly facilities: number;
  readonly spaces: number;
}

const kindsFor = (f: DemoFacility): SpaceKind[] => {
  const total = f.levels.length * f.perLevel;
  const kinds: SpaceKind[] = [];
  // Accessible and family bays sit nearest the lifts (first codes), EV bays at the chargers, bikes at the end.
  for (const k of ['accessible', 'family', 'ev', 'oversize'] as const)
    kinds.push(...Array<SpaceKind>(f.special[k] ?? 0).fill(k));
  const motorcycles = f.special.motorcycle ?? 0;
  while (kinds.length < total - motorcycles) kinds.push('standard');
  kinds.push(...Array<SpaceKind>(motorcycles).fill('motorcycle'));
  return kinds;
};

/**
 * Seeds the demo city into an empty database; does nothing when facilities exist. Safe when two
 * instances start at once (a transaction-scoped advisory lock).
 */
export async function seedDemoCity(prisma: PrismaClient): Promise<SeedReport> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
      if ((await tx.facility.count()) > 0) return { seeded: false, facilities: 0, spaces: 0 };
      let spaces = 0;
      for (const f of DEMO_CITY) {
        const { levels, perLevel, special: _special, ...data } = f;
        const created = await tx.facility.create({
          data: { ...data, timeZone: 'Europe/London', currency: 'GBP' },
          select: { id: true },
        });
        const kinds = kindsFor(f);
        const rows = kinds.map((kind, i) => {
          const level = levels[Math.floor(i / perLevel)] ?? levels[0] ?? null;
          return {
            facilityId: created.id,
            level,
            kind,
            code: `${level}-${String((i % perLevel) + 1).padStart(3, '0')}`,
          };
        });
        spaces += (await tx.space.createMany({ data: rows })).count;
      }
      for (const d of DEMO_SENSORS) {
        const space = await tx.space.findFirst({
          where: { code: d.spaceCode, facility: { code: d.facilityCode } },
          select: { id: true, facilityId: true },
        });
        if (!space) continue;
        await tx.sensor.create({
          data: {
            deviceId: d.deviceId,
            format: 'ttn-bosch',
            model: 'Bosch Parking Lot Sensor',
            facilityId: space.facilityId,
            spaceId: space.id,
          },
        });
      }
      return { seeded: true, facilities: DEMO_CITY.length, spaces };
    },
    { timeout: 60_000 },
  );
}
