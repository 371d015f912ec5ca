import type { Database } from '../../booking-core/index.ts';
import type { OccupancyHistoryRepository } from '../ports.ts';
import type { OccupancyChangeRow, OccupancyState } from '../types.ts';
import { arrayLiteral } from './sql-arrays.ts';

type SqlRunner = Database['sql'];

const CHUNK = 5000;

// One statement of six array parameters, however many rows: far cheaper than a row of parameters
// per change (createMany). Named, so PostgreSQL parses and plans it once per connection.
const APPEND = {
  name: 'sensors_history_append',
  text: `INSERT INTO occupancy_change (facility_id, space_id, state, at, source, received_at)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[])`,
};

/**
 * Occupancy history in PostgreSQL (table `occupancy_change`), appended in batches through the raw
 * SQL runner: the history path's parameters are built as array literals, not converted by Prisma.
 */
export class SqlOccupancyHistoryRepository implements OccupancyHistoryRepository {
  constructor(private readonly sql: SqlRunner) {}

  async append(rows: readonly OccupancyChangeRow[]): Promise<void> {
    if (!rows.length) return;
    const column = (pick: (r: OccupancyChangeRow) => string) => arrayLiteral(rows.map(pick));
    const columns = [
      column((r) => r.facilityId),
      column((r) => r.spaceId),
      column((r) => r.state),
      column((r) => r.at),
      column((r) => r.source),
      column((r) => r.receivedAt),
    ];
    await this.sql.query(APPEND.text, columns, APPEND.name);
  }

  async lastChanges(spaceIds: readonly string[]): Promise<Map<string, { state: OccupancyState; at: Date }>> {
    const out = new Map<string, { state: OccupancyState; at: Date }>();
    // In chunks, so that no one query reads too much at once.
    for (let i = 0; i < spaceIds.length; i += CHUNK) {
      const ids = spaceIds.slice(i, i + CHUNK);
      const rows = await this.sql.query<{ spaceId: string; state: string; at: Date | string }>(
        `SELECT DISTINCT ON (space_id) space_id::text AS "spaceId", state, at
        FROM occupancy_change
        WHERE space_id = ANY($1::uuid[])
        ORDER BY space_id, at DESC, id DESC`,
        [arrayLiteral(ids)],
      );
      for (const r of rows) out.set(r.spaceId, { state: r.state as OccupancyState, at: new Date(r.at) });
    }
    return out;
  }
}
