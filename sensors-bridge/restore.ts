import type { OccupancyHistoryRepository } from './ports.ts';
import type { SensorRegistry, SpaceDirectory } from './registry.ts';
import type { LiveStateStore } from './state/live-state.ts';
import { restoredRecord, type HealthRules } from './tracker.ts';
import type { Sensor } from './types.ts';

interface RestoreDeps {
  readonly registry: SensorRegistry;
  readonly directory: SpaceDirectory;
  readonly store: LiveStateStore;
  readonly rules: HealthRules;
}

/**
 * At start: drops records of devices no longer registered, and rebuilds those the store lacks
 * (always, with the memory store) from the last recorded change and last-seen time, so a restart
 * does not forget what sensors said. Records already in Redis are left as they are.
 */
export async function restoreLiveState(
  deps: RestoreDeps,
  history: OccupancyHistoryRepository,
  now: Date,
): Promise<void> {
  const bySpace = new Map(deps.registry.all().map((s) => [s.spaceId, s]));
  const present = new Set<string>();
  for (const facilityId of await deps.store.facilityIds()) {
    for (const r of await deps.store.facility(facilityId)) {
      if (bySpace.get(r.spaceId)?.deviceId === r.deviceId) present.add(r.spaceId);
      else await deps.store.remove(facilityId, r.spaceId);
    }
  }
  const missing: Sensor[] = [...bySpace.values()].filter((s) => !present.has(s.spaceId));
  const last = await history.lastChanges(missing.map((s) => s.spaceId));
  for (const sensor of missing) {
    const space = await deps.directory.byId(sensor.spaceId);
    if (!space) continue;
    const record = restoredRecord(
      space,
      sensor.deviceId,
      {
        lastChange: last.get(sensor.spaceId) ?? null,
        lastSeenAt: sensor.lastSeenAt,
        firmwareVersion: sensor.firmwareVersion,
      },
      now,
      deps.rules,
    );
    // Another instance may have written it meanwhile: keep theirs.
    await deps.store.update(space.facilityId, space.spaceId, (current) => ({
      next: current ? null : record,
      result: null,
    }));
  }
}
