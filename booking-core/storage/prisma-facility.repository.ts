import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { FacilityRepository, FacilitySnapshot, KindCount } from '../ports.ts';
import type { Facility, OpeningHours, Space, SpaceKind, TimeWindow } from '../types.ts';
import { busySpaces } from './booking-rows.ts';
import type { SqlRunner } from './sql-runner.ts';

/** A PostgreSQL array literal of uuids (no quoting needed), so both drivers take it as text. */
const pgArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

const FACILITY_SELECT = {
  id: true,
  code: true,
  name: true,
  aliases: true,
  address: true,
  latitude: true,
  longitude: true,
  timeZone: true,
  openingHours: true,
  currency: true,
  hourlyRateMinor: true,
  maxStayMinutes: true,
} as const;

const SPACE_SELECT = { id: true, facilityId: true, code: true, level: true, kind: true } as const;

type FacilityRow = Prisma.FacilityGetPayload<{ select: typeof FACILITY_SELECT }>;
const toFacility = (r: FacilityRow): Facility => ({ ...r, openingHours: r.openingHours as OpeningHours });

/** Facilities and spaces in PostgreSQL. */
export class PrismaFacilityRepository implements FacilityRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  async list(): Promise<Facility[]> {
    const rows = await this.prisma.facility.findMany({ select: FACILITY_SELECT, orderBy: { name: 'asc' } });
    return rows.map(toFacility);
  }

  async get(id: string): Promise<Facility | null> {
    const row = await this.prisma.facility.findUnique({ where: { id }, select: FACILITY_SELECT });
    return row ? toFacility(row) : null;
  }

  spaces(facilityId: string): Promise<Space[]> {
    return this.prisma.space.findMany({
      where: { facilityId },
      select: SPACE_SELECT,
      orderBy: { code: 'asc' },
    });
  }

  getSpace(spaceId: string): Promise<Space | null> {
    return this.prisma.space.findUnique({ where: { id: spaceId }, select: SPACE_SELECT });
  }

  freeSpaces(facilityId: string, w: TimeWindow, kind: SpaceKind | null, asOf: Date): Promise<Space[]> {
    const ofKind = kind ? Prisma.sql`AND s.kind = ${kind}::space_kind` : Prisma.empty;
    return this.prisma.$queryRaw<Space[]>`
      SELECT s.id, s.facility_id AS "facilityId", s.code, s.level, s.kind::text AS kind FROM space s
      WHERE s.facility_id = ${facilityId}::uuid ${ofKind}
        AND s.id NOT IN (${busySpaces(Prisma.sql`${facilityId}::uuid`, w.from, w.to, asOf)})
      ORDER BY s.code`;
  }

  async snapshot(facilityId: string): Promise<FacilitySnapshot | null> {
    // One statement, so the version is the version of exactly these fields.
    const rows = await this.prisma.$queryRaw<Array<FacilityRow & { version: string; spaces: string[] }>>`
      SELECT f.xmin::text AS version, f.id, f.code, f.name, f.aliases, f.address, f.latitude, f.longitude,
        f.time_zone AS "timeZone", f.opening_hours AS "openingHours", f.currency,
        f.hourly_rate_minor AS "hourlyRateMinor", f.max_stay_minutes AS "maxStayMinutes",
        ARRAY(SELECT s.id::text || ' ' || s.kind::text FROM space s WHERE s.facility_id = f.id) AS spaces
      FROM facility f WHERE f.id = ${facilityId}::uuid`;
    const row = rows[0];
    if (!row) return null;
    const { version, spaces, ...facility } = row;
    const spaceKinds = new Map(
      spaces.map((s) => {
        const [id, kind] = s.split(' ');
        return [id!, kind as SpaceKind];
      }),
    );
    return { facility: toFacility(facility), version, spaceKinds };
  }

  async countsByKind(
    facilityIds: readonly string[],
    w: TimeWindow,
    asOf: Date,
    alsoTaken: readonly string[] = [],
  ): Promise<Map<string, KindCount[]>> {
    const out = new Map<string, KindCount[]>(facilityIds.map((id) => [id, []]));
    if (!facilityIds.length) return out;
    // every quote and free count asks: plain SQL on a prepared statement, not Prisma's engine
    const rows = await this.sql.query<{ facilityId: string; kind: SpaceKind; total: number; taken: number }>(
      `WITH busy AS (
        SELECT DISTINCT b.space_id FROM booking b WHERE b.facility_id = ANY($1::uuid[])
          AND b.status IN ('held', 'confirmed', 'active')
          AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')
          AND (b.status <> 'held' OR b.hold_expires_at > $4::timestamptz))
      SELECT s.facility_id AS "facilityId", s.kind::text AS kind, count(*)::int AS total,
        (count(*) FILTER (WHERE s.id IN (SELECT space_id FROM busy) OR s.id = ANY($5::uuid[])))::int AS taken
      FROM space s WHERE s.facility_id = ANY($1::uuid[])
      GROUP BY s.facility_id, s.kind ORDER BY s.kind`,
      [pgArray(facilityIds), w.from, w.to, asOf, pgArray(alsoTaken)],
      'facility_counts_by_kind',
    );
    for (const r of rows) out.get(r.facilityId)?.push({ kind: r.kind, total: r.total, taken: r.taken });
    return out;
  }
}
