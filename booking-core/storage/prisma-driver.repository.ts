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

  async addPlate(driverId: string, plate: string): Promise<void> {
    await this.prisma.driverPlate.upsert({
      where: { driverId_plate: { driverId, plate } },
      create: { driverId, plate },
      update: {},
    });
  }

  get(id: string): Promise<Driver | null> {
    return this.prisma.driver.findUnique({ where: { id }, select: DRIVER_SELECT });
  }
}
