import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { DriverContact, DriverRepository } from '../ports.ts';
import type { Driver } from '../types.ts';

const DRIVER_SELECT = { id: true, name: true, phone: true, email: true, preferredLanguage: true } as const;

const isUniqueViolation = (e: unknown) =>
  e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

/** Drivers in PostgreSQL: one person, found by phone or e-mail. */
export class PrismaDriverRepository implements DriverRepository {
  constructor(private readonly prisma: PrismaClient) {}

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
      const [found] = await this.prisma.$queryRaw<Driver[]>`
        SELECT d.id, d.name, d.phone, d.email, d.preferred_language AS "preferredLanguage"
        FROM channel_identity i JOIN driver d ON d.id = i.driver_id
        WHERE i.channel = ${channel} AND i.external_id = ${externalId}`;
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
        return await this.prisma.driver.create({
          data: {
            name: profile.name ?? null,
            preferredLanguage: profile.preferredLanguage ?? null,
            phone,
            identities: { create: { channel, externalId } },
          },
          select: DRIVER_SELECT,
        });
      } catch (e) {
        // The same person wrote twice at once: the other request created them; read it back.
        if (!isUniqueViolation(e)) throw e;
      }
    }
    throw new Error('driver identity kept conflicting');
  }

  async setPreferredLanguage(driverId: string, language: string): Promise<void> {
    await this.prisma.driver.updateMany({ where: { id: driverId }, data: { preferredLanguage: language } });
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
    await this.prisma.driverPlate.upsert({
      where: { driverId_plate: { driverId, plate } },
      create: { driverId, plate },
      update: { createdAt: new Date() },
    });
  }

  get(id: string): Promise<Driver | null> {
    return this.prisma.driver.findUnique({ where: { id }, select: DRIVER_SELECT });
  }
}
