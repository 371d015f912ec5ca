// sensors-bridge: MQTT sensor messages → validated readings → live occupancy and sensor health,
// for booking-core (OccupancyView), the REST API and live views. Bad messages go to a dead-letter
// topic and a counter, never crash it. Sensor formats: ./README.md.

// Commonly used
export { createSensorsBridge, type CreateSensorsBridgeOptions } from './create-bridge.ts';
export {
  SensorsBridge,
  MAX_PAYLOAD_BYTES,
  type SensorsBridgeDeps,
  type IngestOutcome,
  type BridgeStats,
} from './bridge.ts';
export { connectBridge, type BridgeMqttOptions, type MqttLink } from './mqtt/connect-bridge.ts';
export { startEmbeddedBroker, BrokerPortInUseError, type EmbeddedBroker } from './mqtt/embedded-broker.ts';
export { MemoryLiveState } from './state/memory-live-state.ts';
export { RedisLiveState, LiveStateContentionError } from './state/redis-live-state.ts';
export type { LiveStateStore, UpdateDecision } from './state/live-state.ts';
export { RedisEventRelay, type EventRelay } from './state/event-relay.ts';
export {
  SENSOR_EVENT_NAMES,
  type SensorEvents,
  type SensorEventName,
  type OccupancyChanged,
  type SensorHealthChanged,
} from './events.ts';
export {
  OCCUPANCY_STATES,
  SENSOR_STATUSES,
  SENSOR_FORMATS,
  type OccupancyState,
  type SensorStatus,
  type SensorFormat,
  type Sensor,
  type SensorReading,
  type SpaceRecord,
  type SpaceRef,
} from './types.ts';
export type { FacilityOccupancy, OccupancyCounts, SpaceOccupancy } from './occupancy-picture.ts';
export type { SensorView, SensorAdmin } from './sensor-admin.ts';
export type { SensorInput } from './ports.ts';
export { SensorErrorCode, type SensorError } from './errors.ts';
export { DEAD_LETTER_TOPIC, subscriptionFilters } from './payloads/topics.ts';
export { REJECTION_REASONS, type RejectionReason } from './payloads/parse-result.ts';
export { silentLogger, PREVIEW_BYTES, type DeadLetter, type BridgeLogger } from './dead-letters.ts';
export {
  LIVE_NAMESPACE,
  MAX_WATCHED_FACILITIES,
  facilityWatchSchema,
  occupancyChangedWireSchema,
  sensorHealthWireSchema,
  watchAckSchema,
  type FacilityWatch,
  type OccupancyChangedWire,
  type SensorHealthWire,
  type WatchAck,
  type LiveClientToServer,
  type LiveServerToClient,
} from './live-protocol.ts';

// Advanced: the rules and decoders on their own
export { DEFAULT_RULES, applyReading, sweepRecord, type HealthRules } from './tracker.ts';
export { decodeBoschParking, type BoschMessage } from './payloads/bosch-parking.ts';
export { parseMessage } from './payloads/topics.ts';
export { occupancyMessageSchema, heartbeatMessageSchema } from './payloads/json-format.ts';
export { ttnUplinkSchema } from './payloads/ttn-uplink.ts';
