import type { Database } from '../booking-core/index.ts';
import { SensorsBridge, type SensorsBridgeDeps } from './bridge.ts';
import { PrismaSensorRepository } from './storage/prisma-sensor.repository.ts';
import { PrismaSpaceDirectoryRepository } from './storage/prisma-space-directory.repository.ts';
import { SqlOccupancyHistoryRepository } from './storage/sql-occupancy-history.repository.ts';

export type CreateSensorsBridgeOptions = { readonly db: Database } & Omit<
  SensorsBridgeDeps,
  'sensors' | 'spaces' | 'history'
>;

/**
 * Builds the bridge on booking-core's database (device registry, spaces, occupancy history).
 *
 *   const bridge = createSensorsBridge({ db, store: new RedisLiveState(redis), logger });
 *   await bridge.start();
 */
export function createSensorsBridge({ db, ...options }: CreateSensorsBridgeOptions): SensorsBridge {
  return new SensorsBridge({
    sensors: new PrismaSensorRepository(db.prisma, db.sql),
    spaces: new PrismaSpaceDirectoryRepository(db.prisma),
    history: new SqlOccupancyHistoryRepository(db.sql),
    ...options,
  });
}
