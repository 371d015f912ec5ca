/** Stable codes for the refusals of the device registry; part of the public API. */
export const SensorErrorCode = {
  NotFound: 'SENSOR.NOT_FOUND',
  SpaceNotFound: 'SENSOR.SPACE_NOT_FOUND',
  SpaceTaken: 'SENSOR.SPACE_TAKEN',
  DeviceIdMismatch: 'SENSOR.DEVICE_ID_MISMATCH',
} as const;
export type SensorErrorCode = (typeof SensorErrorCode)[keyof typeof SensorErrorCode];

export interface SensorError {
  readonly code: SensorErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const sensorError = (
  code: SensorErrorCode,
  message: string,
  details?: Record<string, unknown>,
): SensorError => (details ? { code, message, details } : { code, message });
