import type { PrismaClient } from '../../prisma/generated/client.ts';
import type { SpaceDirectoryRepository } from '../ports.ts';
import type { SpaceRef } from '../types.ts';

/** Spaces with their facility's code, read from booking-core's tables (never written here). */
export class PrismaSpaceDirectoryRepository implements SpaceDirectoryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async listSpaces(): Promise<SpaceRef[]> {
    const rows = await this.prisma.space.findMany({
      select: { id: true, code: true, kind: true, facilityId: true, facility: { select: { code: true } } },
      orderBy: [{ facilityId: 'asc' }, { code: 'asc' }],
    });
    return rows.map((r) => ({
      facilityId: r.facilityId,
      facilityCode: r.facility.code,
      spaceId: r.id,
      spaceCode: r.code,
      kind: r.kind,
    }));
  }
}
