/**
 * In-memory indexes of spaces and registered devices, so that a message is resolved without a
 * database round trip. A miss reloads (at most every `minReloadMs`, one load at a time), so a
 * device registered on another instance is found, and a flood of unknown ones costs little.
 */
import { err, ok, type Result } from '../booking-core/index.ts';
import { sensorError, SensorErrorCode, type SensorError } from './errors.ts';
import type {
  SensorInput,
  SensorRepository,
  SensorUpsertOutcome,
  SpaceDirectoryRepository,
} from './ports.ts';
import type { Sensor, SpaceRef } from './types.ts';

/** An index rebuilt by `load`; lookups that miss trigger a rate-limited reload. */
class ReloadingIndex<I> {
  private loaded = -Infinity;
  private loading: Promise<void> | null = null;
  /** grows whenever the index changes (a reload, or a change made in place through `changed`) */
  version = 0;

  constructor(
    private readonly load: () => Promise<I>,
    public index: I,
    private readonly minReloadMs: number,
  ) {}

  async reload(): Promise<void> {
    this.loading ??= this.load()
      .then((index) => {
        this.index = index;
        this.version += 1;
        this.loaded = performance.now();
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** Marks a change made to `index` in place. */
  changed(): void {
    this.version += 1;
  }

  async find<T>(lookup: (index: I) => T | undefined): Promise<T | undefined> {
    const hit = lookup(this.index);
    if (hit !== undefined) return hit;
    if (performance.now() - this.loaded < this.minReloadMs) return undefined;
    await this.reload();
    return lookup(this.index);
  }
}

interface SpaceIndex {
  /** by the device id a JSON sensor on the space has, "<facilityCode>/<spaceCode>" (see below) */
  readonly byJsonDeviceId: Map<string, SpaceRef>;
  readonly byId: Map<string, SpaceRef>;
  readonly byFacility: Map<string, SpaceRef[]>;
}

/**
 * The device id of a sensor speaking our JSON format: the space it reports on. Topics name it whole
 * (`parking/<facilityCode>/<spaceCode>/…`), so spaces are found by it without putting it together
 * again. Codes that contain "/" could make two spaces' ids alike, but no topic can name those.
 */
export const jsonDeviceId = (space: Pick<SpaceRef, 'facilityCode' | 'spaceCode'>) =>
  `${space.facilityCode}/${space.spaceCode}`;

function indexSpaces(spaces: readonly SpaceRef[]): SpaceIndex {
  const index: SpaceIndex = { byJsonDeviceId: new Map(), byId: new Map(), byFacility: new Map() };
  for (const s of spaces) {
    index.byJsonDeviceId.set(jsonDeviceId(s), s);
    index.byId.set(s.spaceId, s);
    const list = index.byFacility.get(s.facilityId);
    if (list) list.push(s);
    else index.byFacility.set(s.facilityId, [s]);
  }
  return index;
}

/** Every space, by the id a JSON sensor on it has (its codes), by id, and by facility. */
export class SpaceDirectory {
  private readonly spaces: ReloadingIndex<SpaceIndex>;

  constructor(repo: SpaceDirectoryRepository, minReloadMs = 2000) {
    this.spaces = new ReloadingIndex(
      async () => indexSpaces(await repo.listSpaces()),
      indexSpaces([]),
      minReloadMs,
    );
  }

  load = () => this.spaces.reload();
  /** grows whenever what the lookups below answer may have changed */
  get version(): number {
    return this.spaces.version;
  }
  /** cached only, no reload (the hot path: most messages find their space here) */
  peekByJsonDeviceId = (deviceId: string): SpaceRef | undefined =>
    this.spaces.index.byJsonDeviceId.get(deviceId);
  peekById = (spaceId: string): SpaceRef | undefined => this.spaces.index.byId.get(spaceId);
  byJsonDeviceId = (deviceId: string) => this.spaces.find((i) => i.byJsonDeviceId.get(deviceId));
  byId = (spaceId: string) => this.spaces.find((i) => i.byId.get(spaceId));
  facility = (facilityId: string) => this.spaces.find((i) => i.byFacility.get(facilityId));
}

interface SensorIndex {
  readonly byDevice: Map<string, Sensor>;
  readonly bySpace: Map<string, Sensor>;
}

const indexSensors = (sensors: readonly Sensor[]): SensorIndex => ({
  byDevice: new Map(sensors.map((s) => [s.deviceId, s])),
  bySpace: new Map(sensors.map((s) => [s.spaceId, s])),
});

/** The device registry, cached; writes go to the database first, then to the cache. */
export class SensorRegistry {
  private readonly sensors: ReloadingIndex<SensorIndex>;

  constructor(
    private readonly repo: SensorRepository,
    private readonly directory: SpaceDirectory,
    minReloadMs = 2000,
  ) {
    this.sensors = new ReloadingIndex(
      async () => indexSensors(await repo.list()),
      indexSensors([]),
      minReloadMs,
    );
  }

  load = () => this.sensors.reload();
  /** grows whenever what the lookups below answer may have changed */
  get version(): number {
    return this.sensors.version;
  }
  all = (): Sensor[] => [...this.sensors.index.byDevice.values()];
  /** cached only, no reload */
  peekDevice = (deviceId: string): Sensor | undefined => this.sensors.index.byDevice.get(deviceId);
  byDevice = (deviceId: string) => this.sensors.find((i) => i.byDevice.get(deviceId));
  /** the sensor bound to a space, as currently cached (no reload) */
  bySpace = (spaceId: string): Sensor | undefined => this.sensors.index.bySpace.get(spaceId);
  get = (id: string) => this.repo.get(id);

  /**
   * Registers a device on a space, or moves it there. A JSON-format device's id must name its space
   * ("<facilityCode>/<spaceCode>"), since that is how its messages find it.
   *
   *   await registry.register({ deviceId: 'kxc-b1-004', format: 'ttn-bosch', facilityId, spaceId })
   */
  async register(
    input: SensorInput,
  ): Promise<Result<Extract<SensorUpsertOutcome, { sensor: Sensor }> & { space: SpaceRef }, SensorError>> {
    const space = await this.directory.byId(input.spaceId);
    if (!space || space.facilityId !== input.facilityId)
      return err(
        sensorError(SensorErrorCode.SpaceNotFound, 'no such space in that facility', {
          spaceId: input.spaceId,
        }),
      );
    if (input.format === 'json' && input.deviceId !== jsonDeviceId(space)) {
      return err(
        sensorError(
          SensorErrorCode.DeviceIdMismatch,
          `a JSON-format sensor's device id is "${jsonDeviceId(space)}"`,
          {
            expected: jsonDeviceId(space),
          },
        ),
      );
    }
    const outcome = await this.repo.upsert(input);
    if (outcome.kind === 'space_taken') {
      return err(
        sensorError(SensorErrorCode.SpaceTaken, 'another sensor is bound to that space', {
          deviceId: outcome.deviceId,
        }),
      );
    }
    this.cache(outcome.sensor, outcome.previousSpaceId);
    return ok({ ...outcome, space });
  }

  /** Binds a JSON-format sensor to its space on its first message; null when another device has the space. */
  async adoptJsonSensor(space: SpaceRef): Promise<Sensor | null> {
    const r = await this.register({
      deviceId: jsonDeviceId(space),
      format: 'json',
      facilityId: space.facilityId,
      spaceId: space.spaceId,
    });
    return r.ok ? r.value.sensor : null;
  }

  async retire(id: string): Promise<Sensor | null> {
    const sensor = await this.repo.retire(id);
    const index = this.sensors.index;
    if (sensor && index.byDevice.get(sensor.deviceId)?.id === sensor.id) {
      index.byDevice.delete(sensor.deviceId);
      index.bySpace.delete(sensor.spaceId);
      this.sensors.changed();
    }
    return sensor;
  }

  private cache(sensor: Sensor, previousSpaceId: string | null) {
    const index = this.sensors.index;
    if (previousSpaceId) index.bySpace.delete(previousSpaceId);
    index.byDevice.set(sensor.deviceId, sensor);
    index.bySpace.set(sensor.spaceId, sensor);
    this.sensors.changed();
  }
}
