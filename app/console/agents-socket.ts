import type { Namespace, Server as SocketServer, Socket } from 'socket.io';
import {
  AGENTS_NAMESPACE,
  can,
  handoffItem,
  transcriptItem,
  typingSchema,
  watchFacilitiesSchema,
  watchHandoffSchema,
  type AgentsClientEvents,
  type AgentsServerEvents,
  type Support,
  type SignedIn,
} from '../../support/index.ts';
import type { FacilityChanges } from '../module.ts';
import { foreignOriginOf, signedIn } from './session-auth.ts';

type AgentSocket = Socket<AgentsClientEvents, AgentsServerEvents, Record<string, never>, { who: SignedIn }>;
type AgentsNamespace = Namespace<
  AgentsClientEvents,
  AgentsServerEvents,
  Record<string, never>,
  { who: SignedIn }
>;

export interface AgentsSocketDeps {
  readonly support: Support;
  readonly facilityChanges: FacilityChanges;
  readonly freeNow: (
    facilityId: string,
  ) => Promise<{ facilityId: string; free: number; total: number } | null>;
  readonly onError: (e: unknown, where: string) => void;
}

const room = {
  handoff: (id: string) => `handoff:${id}`,
  facility: (id: string) => `facility:${id}`,
  session: (id: string) => `session:${id}`,
};

/**
 * The `/agents` namespace: the live queue, the lines of the conversations an agent watches, the
 * agents online, and live counts of the driver's car parks. Only a signed-in agent or admin
 * connects (the session cookie, from the console's own origin); every event re-checks the session.
 */
export class AgentsSocket {
  private nsp: AgentsNamespace | null = null;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: AgentsSocketDeps) {}

  attach(io: SocketServer): void {
    const nsp = io.of(AGENTS_NAMESPACE) as unknown as AgentsNamespace;
    this.nsp = nsp;
    nsp.use((socket, next) => {
      const headers = socket.handshake.headers;
      if (foreignOriginOf(headers.origin, headers.host)) return next(new Error('AUTH.ORIGIN'));
      signedIn(this.deps.support.sessions, headers.cookie)
        .then((who) => {
          if (!who || !can(who.agent.role, 'handoffs')) return next(new Error('AUTH.UNAUTHORIZED'));
          socket.data.who = who;
          next();
        })
        .catch((e: unknown) => next(e instanceof Error ? e : new Error(String(e))));
    });
    nsp.on('connection', (socket) => this.connected(socket));

    const desk = this.deps.support.desk;
    const changed =
      (change: 'requested' | 'claimed' | 'released' | 'closed') =>
      ({ handoff }: { handoff: Parameters<typeof handoffItem>[0] }) => {
        nsp.emit('handoff.changed', { handoff: handoffItem(handoff), change });
      };
    this.unsubscribe.push(
      desk.events.on('handoff.requested', changed('requested')),
      desk.events.on('handoff.claimed', changed('claimed')),
      desk.events.on('handoff.released', changed('released')),
      desk.events.on('handoff.closed', changed('closed')),
      desk.events.on('handoff.message', (e) => {
        nsp.to(room.handoff(e.handoffId)).emit('handoff.message', {
          handoffId: e.handoffId,
          line: transcriptItem(e.line),
          internal: e.internal,
        });
      }),
      this.deps.facilityChanges.subscribe((facilityId) => {
        const r = room.facility(facilityId);
        if (!nsp.adapter.rooms.has(r)) return;
        this.deps.freeNow(facilityId).then(
          (free) => free && nsp.to(r).emit('facility.free', free),
          (e: unknown) => this.deps.onError(e, 'agents facility.free'),
        );
      }),
    );
  }

  /** Drops the sockets of a session that ended (signed out). */
  endSession(sessionId: string): void {
    this.nsp?.in(room.session(sessionId)).disconnectSockets(true);
  }

  /** Tells watchers of a handoff that the driver is typing (the runtime reports it where channels do). */
  driverTyping(handoffId: string): void {
    this.nsp?.to(room.handoff(handoffId)).emit('driver.typing', { handoffId });
  }

  stop(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private connected(socket: AgentSocket): void {
    const { support } = this.deps;
    void socket.join(room.session(socket.data.who.sessionId));
    void this.sendQueue(socket);
    void this.broadcastOnline();
    socket.on('disconnect', () => void this.broadcastOnline());
    /** runs a client event only while the session is still valid; otherwise drops the socket */
    const guarded =
      <T>(
        schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } },
        run: (e: T, who: SignedIn) => Promise<void>,
      ) =>
      (raw: unknown) => {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) return;
        signedIn(support.sessions, socket.handshake.headers.cookie)
          .then((who) => (who ? run(parsed.data, who) : void socket.disconnect(true)))
          .catch((e: unknown) => this.deps.onError(e, 'agents socket'));
      };
    socket.on(
      'handoff.watch',
      guarded(watchHandoffSchema, async ({ handoffId }) => {
        for (const r of socket.rooms) if (r.startsWith('handoff:')) await socket.leave(r);
        await socket.join(room.handoff(handoffId));
      }),
    );
    socket.on(
      'facility.watch',
      guarded(watchFacilitiesSchema, async ({ facilityIds }) => {
        for (const r of socket.rooms) if (r.startsWith('facility:')) await socket.leave(r);
        for (const id of facilityIds) await socket.join(room.facility(id));
      }),
    );
    socket.on(
      'typing',
      guarded(typingSchema, async ({ handoffId }, who) => {
        await support.desk.typing(handoffId, who.agent);
      }),
    );
  }

  private async sendQueue(socket: AgentSocket): Promise<void> {
    try {
      const [waiting, active] = await Promise.all([
        this.deps.support.desk.list({ status: 'waiting' }),
        this.deps.support.desk.list({ status: 'active' }),
      ]);
      socket.emit('queue', { handoffs: [...waiting, ...active].map(handoffItem) });
    } catch (e) {
      this.deps.onError(e, 'agents queue');
    }
  }

  /** Agents online across instances (fetchSockets goes through the Redis adapter when there is one). */
  private async broadcastOnline(): Promise<void> {
    const nsp = this.nsp;
    if (!nsp) return;
    try {
      const sockets = await nsp.fetchSockets();
      const agents = new Map<string, { id: string; displayName: string }>();
      for (const s of sockets)
        agents.set(s.data.who.agent.id, {
          id: s.data.who.agent.id,
          displayName: s.data.who.agent.displayName,
        });
      nsp.emit('agents.online', { agents: [...agents.values()] });
    } catch (e) {
      this.deps.onError(e, 'agents online');
    }
  }
}
