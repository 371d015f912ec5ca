import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { DriverContact, DriverRepository } from '../ports.ts';
import type { Driver } from '../types.ts';
import type { SqlRunner } from './sql-runner.ts';

const DRIVER_SELECT = { id: true, name: true, phone: true, email: true, preferredLanguage: true } as const;

const isUniqueViolation = (e: unknown) =>
  (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') ||
  (e as { code?: unknown } | null)?.code === '23505'; // from the driver, for plain SQL

const DRIVER_COLUMNS = `id, name, phone, email, preferred_language AS "preferredLanguage"`;

/**
 * Drivers in PostgreSQL: one person, found by phone or e-mail. What every chat turn asks (who is
 * writing, their plates, their language) is plain SQL on prepared statements; Prisma's query engine
 * costs several times the database's own work for these one-row statements.
 */
export class PrismaDriverRepository implements DriverRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  async upsertByContact(contact: DriverContact): Promise<Driver> {
    const phone = contact.phone ?? null;
    const email = contact.email ?? null;
    const name = contact.name ?? null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const or = [...(phone ? [{ phone }] : []), ...(email ? [{ email }] : [])];
      const existing = or.length
        ? await this.prisma.driver.findFirst({
            where: { OR: or },
            select: DRIVER_SELECT,
            orderBy: { createdAt: 'asc' },
          })
        : null;
      try {
        if (!existing) {
          return await this.prisma.driver.create({ data: { name, phone, email }, select: DRIVER_SELECT });
        }
        const missing = {
          ...(name && !existing.name ? { name } : {}),
          ...(phone && !existing.phone ? { phone } : {}),
          ...(email && !existing.email ? { email } : {}),
        };
        if (!Object.keys(missing).length) return existing;
        // Another driver may already own the other contact detail; then keep the record as it is.
        return await this.prisma.driver
          .update({ where: { id: existing.id }, data: missing, select: DRIVER_SELECT })
          .catch((e: unknown) => (isUniqueViolation(e) ? existing : Promise.reject(e)));
      } catch (e) {
        // A concurrent request created the same person: look again.
        if (!isUniqueViolation(e)) throw e;
      }
    }
    throw new Error('driver upsert kept conflicting');
  }

  async findOrCreateByIdentity(
    channel: string,
    externalId: string,
    profile: { name?: string | null; preferredLanguage?: string | null; phone?: string | null } = {},
  ): Promise<Driver> {
    const phone = profile.phone ?? null;
    for (let attempt = 0; attempt < 3; attempt++) {
      // Every chat turn asks: one statement (Prisma reads the identity and the driver in two).
      const [found] = await this.sql.query<Driver>(
        `SELECT d.id, d.name, d.phone, d.email, d.preferred_language AS "preferredLanguage"
         FROM channel_identity i JOIN driver d ON d.id = i.driver_id
         WHERE i.channel = $1 AND i.external_id = $2`,
        [channel, externalId],
        'driver_by_identity',
      );
      if (found) return found;
      try {
        // the same number on another channel (or booked over the API) is the same person
        const byPhone = phone
          ? await this.prisma.driver.findUnique({ where: { phone }, select: DRIVER_SELECT })
          : null;
        if (byPhone) {
          await this.prisma.channelIdentity.create({ data: { channel, externalId, driverId: byPhone.id } });
          return byPhone;
        }
        // the driver and their identity in one statement (a driver's first message)
        const [created] = await this.sql.query<Driver>(
          `WITH d AS (
             INSERT INTO driver (id, name, phone, preferred_language, updated_at)
             VALUES (gen_random_uuid(), $3, $4, $5, now()) RETURNING ${DRIVER_COLUMNS}),
           i AS (
             INSERT INTO channel_identity (id, driver_id, channel, external_id)
             SELECT gen_random_uuid(), d.id, $1, $2 FROM d)
           SELECT * FROM d`,
          [channel, externalId, profile.name ?? null, phone, profile.preferredLanguage ?? null],
          'driver_create_with_identity',
        );
        return created!;
      } catch (e) {
        // The same person wrote twice at once: the other request created them; read it back.
        if (!isUniqueViolation(e)) throw e;
      }
    }
    throw new Error('driver identity kept conflicting');
  }

  async setPreferredLanguage(driverId: string, language: string): Promise<void> {
    await this.sql.query(
      'UPDATE driver SET preferred_language = $2, updated_at = now() WHERE id = $1::uuid',
      [driverId, language],
      'driver_set_language',
    );
  }

  async plates(driverId: string): Promise<string[]> {
    const rows = await this.prisma.driverPlate.findMany({
      where: { driverId },
      orderBy: { createdAt: 'desc' },
      select: { plate: true },
    });
    return rows.map((r) => r.plate);
  }

  async erase(driverId: string): Promise<{ anonymisedBookings: number }> {
    return this.prisma.$transaction(async (tx) => {
      const bookings = await tx.booking.updateMany({
        where: { driverId },
        data: { driverId: null, plate: 'ERASED', idempotencyKey: null, requestHash: null },
      });
      await tx.driverPlate.deleteMany({ where: { driverId } });
      await tx.channelIdentity.deleteMany({ where: { driverId } });
      await tx.driver.deleteMany({ where: { id: driverId } });
      return { anonymisedBookings: bookings.count };
    });
  }

  async addPlate(driverId: string, plate: string): Promise<void> {
    // Re-using a plate moves it to the front of the list.
    await this.sql.query(
      `INSERT INTO driver_plate (driver_id, plate) VALUES ($1::uuid, $2)
       ON CONFLICT (driver_id, plate) DO UPDATE SET created_at = now()`,
      [driverId, plate],
      'driver_add_plate',
    );
  }

  get(id: string): Promise<Driver | null> {
    return this.prisma.driver.findUnique({ where: { id }, select: DRIVER_SELECT });
  }
}
