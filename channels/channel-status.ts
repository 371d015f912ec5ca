import type { ChannelOutlet, ConversationRuntime } from './runtime/index.ts';

/** How a channel is doing, as operators see it (`GET /api/v1/channels`). */
export type ChannelState =
  | 'connected'
  | 'connecting'
  | 'disconnected'
  /** WhatsApp Web: waiting for the phone to scan the QR code */
  | 'needs-qr'
  /** runs on another instance (WhatsApp Web's session, Telegram polling) */
  | 'standby'
  | 'disabled';

export interface ChannelStatus {
  readonly channel: string;
  readonly enabled: boolean;
  readonly state: ChannelState;
  readonly lastError: string | null;
  /** drivers' messages received since this instance started */
  readonly messagesIn: number;
  /** messages the platform accepted for delivery since this instance started */
  readonly messagesOut: number;
  readonly since: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Every channel's state and counters on this instance. Channels report their state; the counts
 * come from the runtime itself once `instrument` has wrapped it (each driver's message in, each
 * message an outlet sent out), so no channel has to count.
 *
 *   const channels = new ChannelStatusRegistry();
 *   channels.report('telegram', { enabled: true, state: 'connected' });
 *   channels.list(); // [{ channel: 'telegram', enabled: true, state: 'connected', messagesIn: 0, … }]
 */
export class ChannelStatusRegistry {
  private readonly channels = new Map<string, Mutable<ChannelStatus>>();
  private readonly since = new Date().toISOString();

  /** Sets what a channel knows of itself; `lastError: null` clears the last error. */
  report(channel: string, status: Partial<Pick<ChannelStatus, 'enabled' | 'state' | 'lastError'>>): void {
    Object.assign(this.entry(channel), status);
  }

  countIn(channel: string, n = 1): void {
    this.entry(channel).messagesIn += n;
  }

  countOut(channel: string, n = 1): void {
    this.entry(channel).messagesOut += n;
  }

  list(): ChannelStatus[] {
    return [...this.channels.values()].map((c) => ({ ...c }));
  }

  /**
   * Counts every driver's message the runtime handles and every message its outlets send,
   * including outlets registered later. Returns the undo.
   */
  instrument(runtime: ConversationRuntime): () => void {
    const register = runtime.registerChannel.bind(runtime);
    runtime.registerChannel = (outlet: ChannelOutlet) => register(this.counting(outlet));
    const unsubscribe = runtime.onDriverMessage((e) => this.countIn(e.channel));
    return () => {
      runtime.registerChannel = register;
      unsubscribe();
    };
  }

  private counting(outlet: ChannelOutlet): ChannelOutlet {
    const counted: ChannelOutlet = {
      channel: outlet.channel,
      send: async (to, activities, from) => {
        await outlet.send(to, activities, from);
        this.countOut(outlet.channel, activities.filter((a) => !a.type || a.type === 'message').length);
      },
      ...(outlet.typing ? { typing: outlet.typing.bind(outlet) } : {}),
    };
    const e = this.entry(outlet.channel);
    e.enabled = true;
    if (e.state === 'disabled') e.state = 'connected'; // until the channel says otherwise
    return counted;
  }

  private entry(channel: string): Mutable<ChannelStatus> {
    let e = this.channels.get(channel);
    if (!e) {
      e = {
        channel,
        enabled: false,
        state: 'disabled',
        lastError: null,
        messagesIn: 0,
        messagesOut: 0,
        since: this.since,
      };
      this.channels.set(channel, e);
    }
    return e;
  }
}
