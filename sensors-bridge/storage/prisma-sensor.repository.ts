import type { Database } from '../../booking-core/index.ts';
import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { SensorInput, SensorRepository, SensorSeen, SensorUpsertOutcome } from '../ports.ts';
import { isoString } from '../iso-time.ts';
import type { Sensor, SensorFormat } from '../types.ts';
import { arrayLiteral } from './sql-arrays.ts';

const SELECT = {
  id: true,
  deviceId: true,
  format: true,
  facilityId: true,
  spaceId: true,
  model: true,
  firmwareVersion: true,
  lastSeenAt: true,
  createdAt: true,
} as const;

const toSensor = (row: Omit<Sensor, 'format'> & { format: string }): Sensor => ({
  ...row,
  format: row.format as SensorFormat,
});

const isUniqueViolation = (e: unknown) =>
  e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

// One statement with three array parameters, as history is appended (a row of parameters per device
// cost more than the update); a later time never goes back (instances flush out of order).
const TOUCH = {
  name: 'sensors_touch',
  text: `UPDATE sensor AS s
    SET last_seen_at = GREATEST(s.last_seen_at, v.seen),
        firmware_version = COALESCE(v.firmware, s.firmware_version),
        updated_at = now()
    FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS v(device_id, seen, firmware)
    WHERE s.device_id = v.device_id`,
};

/**
 * The device registry in PostgreSQL (table `sensor`): Prisma for the registry, the raw SQL runner
 * for the batched last-seen times (their parameters built as array literals, see ./sql-arrays.ts).
 */
export class PrismaSensorRepository implements SensorRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: Database['sql'],
  ) {}

  async list(): Promise<Sensor[]> {
    const rows = await this.prisma.sensor.findMany({ select: SELECT, orderBy: { deviceId: 'asc' } });
    return rows.map(toSensor);
  }

  async get(id: string): Promise<Sensor | null> {
    const row = await this.prisma.sensor.findUnique({ where: { id }, select: SELECT });
    return row ? toSensor(row) : null;
  }

  async upsert(input: SensorInput): Promise<SensorUpsertOutcome> {
    const holder = await this.prisma.sensor.findUnique({
      where: { spaceId: input.spaceId },
      select: { deviceId: true },
    });
    if (holder && holder.deviceId !== input.deviceId)
      return { kind: 'space_taken', deviceId: holder.deviceId };
    const before = await this.prisma.sensor.findUnique({
      where: { deviceId: input.deviceId },
      select: { spaceId: true },
    });
    const data = {
      format: input.format,
      facilityId: input.facilityId,
      spaceId: input.spaceId,
      ...(input.model !== undefined ? { model: input.model } : {}),
    };
    try {
      const row = await this.prisma.sensor.upsert({
        where: { deviceId: input.deviceId },
        create: { deviceId: input.deviceId, ...data },
        update: data,
        select: SELECT,
      });
      return {
        kind: before ? 'updated' : 'created',
        sensor: toSensor(row),
        previousSpaceId: before && before.spaceId !== input.spaceId ? before.spaceId : null,
      };
    } catch (e) {
      // Another writer bound a device to the space between our check and the write.
      if (!isUniqueViolation(e)) throw e;
      const now = await this.prisma.sensor.findUnique({
        where: { spaceId: input.spaceId },
        select: { deviceId: true },
      });
      if (now && now.deviceId !== input.deviceId) return { kind: 'space_taken', deviceId: now.deviceId };
      throw e;
    }
  }

  async retire(id: string): Promise<Sensor | null> {
    const rows = await this.prisma.sensor.findMany({ where: { id }, select: SELECT });
    await this.prisma.sensor.deleteMany({ where: { id } });
    return rows[0] ? toSensor(rows[0]) : null;
  }

  async touch(seen: readonly SensorSeen[]): Promise<void> {
    if (!seen.length) return;
    await this.sql.query(
      TOUCH.text,
      [
        arrayLiteral(seen.map((s) => s.deviceId)),
        arrayLiteral(seen.map((s) => isoString(s.lastSeenAt.getTime()))),
        arrayLiteral(seen.map((s) => s.firmwareVersion)),
      ],
      TOUCH.name,
    );
  }
}
