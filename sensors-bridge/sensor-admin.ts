import { err, ok, type Result } from '../booking-core/index.ts';
import { sensorError, SensorErrorCode, type SensorError } from './errors.ts';
import type { SensorEventName, SensorEvents } from './events.ts';
import type { SensorInput } from './ports.ts';
import type { SensorRegistry, SpaceDirectory } from './registry.ts';
import type { LiveStateStore } from './state/live-state.ts';
import { blankRecord, type HealthRules } from './tracker.ts';
import type { Sensor, SensorStatus, OccupancyState } from './types.ts';

interface AdminDeps {
  readonly registry: SensorRegistry;
  readonly directory: SpaceDirectory;
  readonly store: LiveStateStore;
  readonly rules: HealthRules;
  emit<K extends SensorEventName>(name: K, payload: SensorEvents[K]): void;
  now(): Date;
}

/** A registered sensor with its space code and live health (null until the bridge has a record). */
export interface SensorView extends Sensor {
  readonly spaceCode: string | null;
  readonly live: {
    readonly status: SensorStatus;
    readonly state: OccupancyState;
    readonly lastSeenAt: string | null;
    readonly battery: number | null;
    readonly rssi: number | null;
    readonly lowBattery: boolean;
  } | null;
}

/**
 * The device registry as operators manage it (REST `/api/v1/sensors`): registering a device makes
 * its space sensor-driven (unknown until the device reports); retiring one hands the space back to
 * bookings alone.
 *
 *   const r = await bridge.sensors.register({ deviceId: 'kxc-b1-004', format: 'ttn-bosch', facilityId, spaceId });
 */
export class SensorAdmin {
  constructor(private readonly deps: AdminDeps) {}

  async register(input: SensorInput): Promise<Result<{ sensor: SensorView; created: boolean }, SensorError>> {
    const r = await this.deps.registry.register(input);
    if (!r.ok) return r;
    const { sensor, previousSpaceId, space } = r.value;
    if (previousSpaceId) await this.deps.store.remove(sensor.facilityId, previousSpaceId);
    const now = this.deps.now();
    const fresh = blankRecord(space, sensor.deviceId, now);
    const placed = await this.deps.store.update(space.facilityId, space.spaceId, (current) =>
      current?.deviceId === sensor.deviceId ? { next: null, result: false } : { next: fresh, result: true },
    );
    if (placed) {
      this.deps.emit('occupancy.changed', {
        facilityId: space.facilityId,
        spaceId: space.spaceId,
        spaceCode: space.spaceCode,
        kind: space.kind,
        state: fresh.state,
        previous: null,
        at: now.toISOString(),
        source: sensor.deviceId,
      });
    }
    return ok({ sensor: await this.view(sensor), created: r.value.kind === 'created' });
  }

  async retire(id: string): Promise<Result<SensorView, SensorError>> {
    const sensor = await this.deps.registry.retire(id);
    if (!sensor) return err(sensorError(SensorErrorCode.NotFound, 'no such sensor', { id }));
    await this.deps.store.remove(sensor.facilityId, sensor.spaceId);
    return ok({ ...(await this.view(sensor)), live: null });
  }

  async get(id: string): Promise<SensorView | null> {
    const sensor = await this.deps.registry.get(id);
    return sensor ? this.view(sensor) : null;
  }

  /** Registered sensors (of a facility, in a state of health), by device id. */
  async list(filter: { facilityId?: string; status?: SensorStatus } = {}): Promise<SensorView[]> {
    await this.deps.registry.load();
    const sensors = this.deps.registry
      .all()
      .filter((s) => !filter.facilityId || s.facilityId === filter.facilityId)
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    const views = await Promise.all(sensors.map((s) => this.view(s)));
    return views.filter((v) => !filter.status || v.live?.status === filter.status);
  }

  private async view(sensor: Sensor): Promise<SensorView> {
    const [space, record] = await Promise.all([
      this.deps.directory.byId(sensor.spaceId),
      this.deps.store.get(sensor.facilityId, sensor.spaceId),
    ]);
    const live =
      record && record.deviceId === sensor.deviceId
        ? {
            status: record.status,
            state: record.state,
            lastSeenAt: record.lastSeenAt,
            battery: record.battery,
            rssi: record.rssi,
            lowBattery: record.battery !== null && record.battery < this.deps.rules.lowBatteryBelow,
          }
        : null;
    return { ...sensor, spaceCode: space?.spaceCode ?? null, live };
  }
}
