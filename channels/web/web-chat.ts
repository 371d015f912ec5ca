import type { Namespace, Server, Socket } from 'socket.io';
import type { ConversationStore } from '../../bot/index.ts';
import type { ConversationRuntime } from '../runtime/index.ts';
import { WebChatOutlet, conversationRoom, facilityRoom } from './adapter.ts';
import type { WebChatConfig } from './config.ts';
import { WEB_CHANNEL, toInbound } from './inbound.ts';
import {
  CHAT_NAMESPACE,
  FACILITY_LIST,
  clientMessageSchema,
  type ChatActivity,
  type ClientToServerEvents,
  type FacilityFree,
  type ServerToClientEvents,
  type SuggestedAction,
  toCardAction,
} from './protocol.ts';
import { toChatActivity } from './render.ts';
import { SessionTokens, type WebSession } from './session.ts';

type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { session: WebSession }
>;

export interface WebChatDeps {
  /** runs the turns (one at a time per conversation, on any instance) and delivers replies */
  readonly runtime: ConversationRuntime;
  /** the transcript, for history on reconnect */
  readonly conversations: ConversationStore;
  readonly config: WebChatConfig;
  /** live free count of a facility (for cards already on screen) */
  readonly freeNow: (facilityId: string) => Promise<FacilityFree | null>;
  /** called with a facility id whenever its occupancy or bookings change; returns an unsubscribe */
  readonly onFacilityChanged: (listener: (facilityId: string) => void) => () => void;
  readonly onError: (error: unknown, where: string) => void;
}

interface StoredPayload {
  value?: string;
  suggestedActions?: SuggestedAction[];
  attachments?: Array<{ contentType: string; content: unknown }>;
}

/**
 * The widget's side of the server: the `/chat` socket.io namespace. Checks the embedding origin,
 * issues or resumes signed sessions, restores history, hands each message to the conversation
 * runtime (which runs the turn and sends replies through this channel's outlet), and pushes live
 * free counts for facilities shown on cards.
 */
export class WebChat {
  readonly outlet: WebChatOutlet;
  private readonly tokens: SessionTokens;
  private nsp: Namespace<ClientToServerEvents, ServerToClientEvents> | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly pendingFacilities = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: WebChatDeps) {
    this.tokens = new SessionTokens(deps.config.tokenSecret, deps.config.sessionDays);
    this.outlet = new WebChatOutlet(() => this.nsp);
    deps.runtime.registerChannel(this.outlet);
  }

  attach(io: Server): void {
    const nsp = io.of(CHAT_NAMESPACE) as unknown as Namespace<ClientToServerEvents, ServerToClientEvents>;
    this.nsp = nsp;
    nsp.use((socket, next) => {
      const origin = socket.handshake.headers.origin;
      if (this.originAllowed(origin, socket.handshake.headers.host)) return next();
      next(new Error(`origin ${origin} may not embed this chat; add it to WIDGET_ORIGINS`));
    });
    nsp.on('connection', (socket) => void this.onConnection(socket as ChatSocket));
    this.unsubscribe = this.deps.onFacilityChanged((id) => this.facilityChanged(id));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  private originAllowed(origin: string | undefined, host: string | undefined): boolean {
    if (!origin) return true; // not a browser: origins only constrain embedding pages
    const allowed = this.deps.config.origins;
    if (allowed.includes('*') || allowed.includes(origin)) return true;
    try {
      return new URL(origin).host === host; // the platform's own pages
    } catch {
      return false;
    }
  }

  private async onConnection(socket: ChatSocket): Promise<void> {
    // A client may send its first message the moment it sees `session`, while history is still
    // loading: listen first, and let messages wait for the session to be ready.
    let ready!: (ok: boolean) => void;
    const sessionReady = new Promise<boolean>((resolve) => (ready = resolve));
    socket.on('message', (raw) => {
      void sessionReady.then((ok) => ok && this.onMessage(socket, raw));
    });
    try {
      const { session, token } = await this.tokens.resume(
        (socket.handshake.auth as { token?: unknown }).token,
      );
      socket.data.session = session;
      await socket.join(conversationRoom(session.conversationId));
      ready(true);
      socket.emit('session', { token, conversationId: session.conversationId });
      const history = await this.history(session);
      if (history.length) {
        socket.emit('history', { activities: history });
        await this.watchFacilities(socket, history);
      }
    } catch (e) {
      ready(false);
      this.deps.onError(e, 'web chat connection');
      socket.disconnect(true);
    }
  }

  private onMessage(socket: ChatSocket, raw: unknown): void {
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      socket.emit('notice', {
        code: 'MESSAGE.INVALID',
        message: 'send { text } with 1–10000 characters, or { value } from a button',
      });
      return;
    }
    const session = socket.data.session;
    const locale = socket.handshake.headers['accept-language']?.slice(0, 2);
    if ('text' in parsed.data) {
      // The driver's other open tabs show what was typed here too.
      socket.to(conversationRoom(session.conversationId)).emit('activity', {
        id: `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
        type: 'message',
        from: 'driver',
        text: parsed.data.text,
        timestamp: new Date().toISOString(),
      });
    }
    void this.deps.runtime.handle(toInbound(parsed.data, session, locale));
  }

  private async history(session: WebSession): Promise<ChatActivity[]> {
    if (!this.deps.config.historyLimit) return [];
    const entries = await this.deps.conversations.recent(
      { channel: WEB_CHANNEL, externalId: session.conversationId },
      this.deps.config.historyLimit,
    );
    const shown: ChatActivity[] = [];
    let lastButtons: SuggestedAction[] = [];
    for (const e of entries) {
      const payload = (e.payload ?? {}) as StoredPayload;
      // A pressed button stored only its value; show the title the driver saw on it.
      const pressed = lastButtons.find((b) => 'value' in b && b.value === payload.value);
      const text = e.text || pressed?.title || '';
      if (e.sender !== 'driver') lastButtons = payload.suggestedActions ?? [];
      if (!text && !payload.attachments?.length) continue;
      const activity = toChatActivity(
        {
          text,
          ...(payload.suggestedActions
            ? {
                suggestedActions: {
                  to: [],
                  actions: payload.suggestedActions.map(toCardAction),
                },
              }
            : {}),
          ...(payload.attachments ? { attachments: payload.attachments } : {}),
        },
        `t${e.id}`,
        e.sender === 'system' ? 'bot' : e.sender,
      );
      shown.push({ ...activity, timestamp: e.at.toISOString() });
    }
    return shown;
  }

  private async watchFacilities(socket: ChatSocket, history: ChatActivity[]) {
    const ids = history.flatMap((a) =>
      (a.attachments ?? []).flatMap((c) =>
        c.contentType === FACILITY_LIST ? c.content.facilities.map((f) => f.facilityId) : [],
      ),
    );
    if (ids.length) await socket.join([...new Set(ids)].map(facilityRoom));
  }

  /** Changes arrive in bursts (a car park filling up); send each facility's count at most every 300 ms. */
  private facilityChanged(facilityId: string): void {
    this.pendingFacilities.add(facilityId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      const ids = [...this.pendingFacilities];
      this.pendingFacilities.clear();
      for (const id of ids) {
        this.deps
          .freeNow(id)
          .then((free) => free && this.nsp?.to(facilityRoom(id)).emit('facility.free', free))
          .catch((e: unknown) => this.deps.onError(e, 'live facility count'));
      }
    }, 300);
  }
}
