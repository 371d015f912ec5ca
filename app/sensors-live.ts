import type { Namespace, Server as SocketServer } from 'socket.io';
import {
  facilityWatchSchema,
  LIVE_NAMESPACE,
  MAX_WATCHED_FACILITIES,
  type LiveClientToServer,
  type LiveServerToClient,
  type SensorsBridge,
  type WatchAck,
} from '../sensors-bridge/index.ts';

const room = (facilityId: string) => `facility:${facilityId}`;

/**
 * The `/live` namespace: a client emits `facility.watch { facilityId }` and from then on receives
 * that facility's `occupancy.changed` and `sensor.health_changed` (the ack carries the current
 * picture). Every instance hears every event (the bridge relays them through Redis), so each one
 * emits to its own sockets only — through the Redis adapter too would deliver them twice.
 *
 *   const detach = attachLive(io, bridge);
 */
export function attachLive(io: SocketServer, bridge: SensorsBridge): () => void {
  const live: Namespace<LiveClientToServer, LiveServerToClient> = io.of(LIVE_NAMESPACE);
  live.on('connection', (socket) => {
    const reply = (ack: unknown, answer: WatchAck | { ok: true }) => {
      if (typeof ack === 'function') (ack as (a: typeof answer) => void)(answer);
    };
    socket.on('facility.watch', async (raw: unknown, ack?: unknown) => {
      const m = facilityWatchSchema.safeParse(raw);
      if (!m.success)
        return reply(ack, { ok: false, code: 'REQUEST.INVALID', message: 'send { facilityId: <uuid> }' });
      const watched = [...socket.rooms].filter((r) => r.startsWith('facility:')).length;
      if (watched >= MAX_WATCHED_FACILITIES)
        return reply(ack, {
          ok: false,
          code: 'WATCH.TOO_MANY',
          message: `at most ${MAX_WATCHED_FACILITIES} facilities`,
        });
      const picture = await bridge.occupancy(m.data.facilityId).catch(() => undefined);
      if (picture === undefined)
        return reply(ack, {
          ok: false,
          code: 'LIVE.UNAVAILABLE',
          message: 'live occupancy is unavailable; try again',
        });
      if (!picture) return reply(ack, { ok: false, code: 'FACILITY.NOT_FOUND', message: 'no such facility' });
      await socket.join(room(m.data.facilityId));
      reply(ack, {
        ok: true,
        facilityId: picture.facilityId,
        spaces: picture.spaces.map(({ spaceId, spaceCode, state, since }) => ({
          spaceId,
          spaceCode,
          state,
          at: since,
        })),
      });
    });
    socket.on('facility.unwatch', async (raw: unknown, ack?: unknown) => {
      const m = facilityWatchSchema.safeParse(raw);
      if (!m.success)
        return reply(ack, { ok: false, code: 'REQUEST.INVALID', message: 'send { facilityId: <uuid> }' });
      await socket.leave(room(m.data.facilityId));
      reply(ack, { ok: true });
    });
  });
  const offOccupancy = bridge.events.on('occupancy.changed', (e) => {
    live.local.to(room(e.facilityId)).emit('occupancy.changed', {
      facilityId: e.facilityId,
      spaceId: e.spaceId,
      spaceCode: e.spaceCode,
      state: e.state,
      at: e.at,
    });
  });
  const offHealth = bridge.events.on('sensor.health_changed', (e) => {
    live.local.to(room(e.facilityId)).emit('sensor.health_changed', {
      facilityId: e.facilityId,
      spaceId: e.spaceId,
      spaceCode: e.spaceCode,
      deviceId: e.deviceId,
      status: e.status,
      lowBattery: e.lowBattery,
      at: e.at,
    });
  });
  return () => {
    offOccupancy();
    offHealth();
  };
}
