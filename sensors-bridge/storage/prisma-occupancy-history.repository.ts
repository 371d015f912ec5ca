import { Prisma, type PrismaClient } from '../../prisma/generated/client.ts';
import type { OccupancyHistoryRepository } from '../ports.ts';
import type { OccupancyChangeRow, OccupancyState } from '../types.ts';

const CHUNK = 5000;

/** Occupancy history in PostgreSQL (table `occupancy_change`), appended in batches. */
export class PrismaOccupancyHistoryRepository implements OccupancyHistoryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async append(rows: readonly OccupancyChangeRow[]): Promise<void> {
    if (!rows.length) return;
    // One statement with six array parameters, however many rows: far cheaper than a row of
    // parameters per change (createMany), which made the history writer the bridge's bottleneck.
    const column = <T>(pick: (r: OccupancyChangeRow) => T) => rows.map(pick);
    await this.prisma.$executeRaw`
      INSERT INTO occupancy_change (facility_id, space_id, state, at, source, received_at)
      SELECT * FROM unnest(
        ${column((r) => r.facilityId)}::uuid[], ${column((r) => r.spaceId)}::uuid[],
        ${column((r) => r.state)}::text[], ${column((r) => r.at)}::timestamptz[],
        ${column((r) => r.source)}::text[], ${column((r) => r.receivedAt)}::timestamptz[])`;
  }

  async lastChanges(spaceIds: readonly string[]): Promise<Map<string, { state: OccupancyState; at: Date }>> {
    const out = new Map<string, { state: OccupancyState; at: Date }>();
    // In chunks: a statement takes at most 65535 parameters.
    for (let i = 0; i < spaceIds.length; i += CHUNK) {
      const ids = spaceIds.slice(i, i + CHUNK);
      const rows = await this.prisma.$queryRaw<Array<{ spaceId: string; state: string; at: Date }>>`
        SELECT DISTINCT ON (space_id) space_id::text AS "spaceId", state, at
        FROM occupancy_change
        WHERE space_id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})
        ORDER BY space_id, at DESC, id DESC`;
      for (const r of rows) out.set(r.spaceId, { state: r.state as OccupancyState, at: new Date(r.at) });
    }
    return out;
  }
}
