import { io, type Socket } from 'socket.io-client';
import { el } from '../src/dom.ts';
import { ApiError, ConsoleApi } from './api.ts';
import { CHANNELS, waited } from './format.ts';
import {
  AGENTS_NAMESPACE,
  type AgentsClientEvents,
  type AgentsServerEvents,
  type BookingItem,
  type ConsoleSession,
  type HandoffDetailItem,
  type HandoffItem,
} from './protocol.ts';
import { lineView, renderConversation } from './views/conversation.ts';
import { renderQueue } from './views/queue.ts';
import { renderTeam } from './views/team.ts';

/** The support console in the browser: queue, conversation, team. No framework; DOM through `el` only. */
async function start(root: HTMLElement): Promise<void> {
  const session = await ConsoleApi.session();
  if (!session) return location.assign('/console');
  new ConsoleApp(root, session).show();
}

class ConsoleApp {
  private readonly api: ConsoleApi;
  private readonly socket: Socket<AgentsServerEvents, AgentsClientEvents>;
  private readonly queue = new Map<string, HandoffItem>();
  private selected: HandoffDetailItem | null = null;
  private live: { transcript: HTMLOListElement; typing: HTMLElement } | null = null;
  private unseen = 0;
  private readonly baseTitle = document.title;
  private readonly parts = {
    online: el('p', { class: 'online', attrs: { 'aria-label': 'Agents online' } }),
    notice: el('p', { class: 'notice', attrs: { role: 'status' } }),
    queue: el('nav', { class: 'queue', attrs: { 'aria-label': 'Queue' } }),
    main: el('main', { class: 'conversation' }, [
      el('p', { class: 'muted', text: 'Pick a conversation from the queue.' }),
    ]),
    team: el('aside', { class: 'team-panel', attrs: { hidden: '' } }),
  };

  constructor(
    private readonly root: HTMLElement,
    private readonly session: ConsoleSession,
  ) {
    this.api = new ConsoleApi(session.csrfToken, () => location.assign('/console'));
    this.socket = io(AGENTS_NAMESPACE, { withCredentials: true, transports: ['websocket', 'polling'] });
  }

  show(): void {
    const me = this.session.agent;
    const signOut = el('button', { text: 'Sign out', attrs: { type: 'button' } });
    signOut.addEventListener('click', () => void this.api.signOut());
    const team = el('button', { text: 'Team', attrs: { type: 'button' } });
    team.addEventListener('click', () => {
      this.parts.team.toggleAttribute('hidden');
      if (!this.parts.team.hidden)
        renderTeam(this.parts.team, this.api, me.id, (m) => this.say(m)).catch((e: Error) =>
          this.say(e.message),
        );
    });
    this.root.replaceChildren(
      el('header', { class: 'top' }, [
        el('h1', { text: 'Support console' }),
        this.parts.online,
        el('span', { class: 'me', text: `${me.displayName} (${me.role})` }),
        me.role === 'admin' ? team : undefined,
        signOut,
      ]),
      this.parts.notice,
      el('div', { class: 'layout' }, [this.parts.queue, this.parts.main, this.parts.team]),
    );
    this.listen();
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.badge(0);
    });
    // Ask once, on the first click (browsers only allow it after a gesture).
    document.addEventListener(
      'click',
      () =>
        void (
          typeof Notification !== 'undefined' &&
          Notification.permission === 'default' &&
          Notification.requestPermission()
        ),
      { once: true },
    );
    setInterval(() => this.tickWaited(), 30_000);
  }

  private listen(): void {
    const s = this.socket;
    s.on('queue', ({ handoffs }) => {
      this.queue.clear();
      for (const h of handoffs) this.queue.set(h.id, h);
      this.drawQueue();
    });
    s.on('handoff.changed', ({ handoff, change }) => {
      if (handoff.status === 'waiting' || handoff.status === 'active') this.queue.set(handoff.id, handoff);
      else this.queue.delete(handoff.id);
      this.drawQueue();
      if (change === 'requested') this.arrived(handoff);
      if (this.selected?.handoff.id === handoff.id) void this.open(handoff.id);
    });
    s.on('handoff.message', ({ handoffId, line, internal }) => {
      if (this.selected?.handoff.id !== handoffId || !this.live) return;
      this.live.typing.hidden = true;
      this.live.transcript.append(lineView(line, internal));
      this.live.transcript.lastElementChild?.scrollIntoView({ block: 'end' });
    });
    s.on('driver.typing', ({ handoffId }) => {
      if (this.selected?.handoff.id !== handoffId || !this.live) return;
      this.live.typing.textContent = 'The driver is typing…';
      this.live.typing.hidden = false;
    });
    s.on('agents.online', ({ agents }) => {
      this.parts.online.textContent = `Online: ${agents.map((a) => a.displayName).join(', ') || 'nobody'}`;
    });
    s.on('facility.free', ({ facilityId, free, total }) => {
      for (const node of this.root.querySelectorAll<HTMLElement>(
        `.free[data-facility="${CSS.escape(facilityId)}"]`,
      )) {
        node.textContent = `${free} of ${total} free now`;
      }
    });
    s.on('connect_error', (e) =>
      this.say(e.message === 'AUTH.UNAUTHORIZED' ? 'Your session ended.' : 'Reconnecting…'),
    );
    s.on('connect', () => {
      this.say('');
      if (this.selected) this.watch(this.selected);
    });
  }

  private drawQueue(): void {
    renderQueue(
      this.parts.queue,
      [...this.queue.values()],
      this.session.agent.id,
      this.selected?.handoff.id ?? null,
      {
        open: (h) => void this.open(h.id),
      },
    );
    this.badge(this.unseen);
  }

  private async open(id: string): Promise<void> {
    try {
      const d = await this.api.get<HandoffDetailItem>(`/handoffs/${id}`);
      this.selected = d;
      this.live = renderConversation(this.parts.main, d, this.session.agent.id, {
        claim: () => this.act(() => this.api.post(`/handoffs/${id}/claim`)),
        send: (text, internal) =>
          this.act(() => this.api.post(`/handoffs/${id}/messages`, { text, internal }), false),
        typing: () => this.socket.emit('typing', { handoffId: id }),
        release: () => this.act(() => this.api.post(`/handoffs/${id}/release`)),
        close: (resolution) => this.act(() => this.api.post(`/handoffs/${id}/close`, { resolution })),
        cancelBooking: (b: BookingItem) =>
          this.act(() => this.api.post(`/handoffs/${id}/bookings/${b.id}/cancel`, {})),
        extendBooking: (b: BookingItem, to: string) =>
          this.act(() => this.api.post(`/handoffs/${id}/bookings/${b.id}/extend`, { to })),
      });
      this.watch(d);
      this.drawQueue();
    } catch (e) {
      this.say(e instanceof Error ? e.message : String(e));
    }
  }

  private watch(d: HandoffDetailItem): void {
    this.socket.emit('handoff.watch', { handoffId: d.handoff.id });
    const facilityIds = [...new Set(d.bookings.flatMap((b) => (b.facility ? [b.facility.id] : [])))];
    this.socket.emit('facility.watch', { facilityIds });
  }

  /** Runs an action, shows a refusal plainly (e.g. another agent claimed it first), and reloads the view. */
  private act(run: () => Promise<unknown>, reload = true): void {
    const id = this.selected?.handoff.id;
    run().then(
      () => {
        if (reload && id) void this.open(id);
      },
      (e: unknown) => {
        this.say(e instanceof ApiError ? e.message : 'Something went wrong.');
        if (id) void this.open(id);
      },
    );
  }

  private arrived(h: HandoffItem): void {
    if (document.hidden || !document.hasFocus()) this.badge(this.unseen + 1);
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      new Notification('A driver is waiting', {
        body: `${CHANNELS[h.channel] ?? h.channel}: ${h.reason ?? 'asked for a person'}`,
        tag: h.id,
      });
    }
  }

  private badge(n: number): void {
    this.unseen = n;
    const waiting = [...this.queue.values()].filter((h) => h.status === 'waiting').length;
    document.title = n > 0 || waiting > 0 ? `(${Math.max(n, waiting)}) ${this.baseTitle}` : this.baseTitle;
  }

  private tickWaited(): void {
    for (const node of this.parts.queue.querySelectorAll<HTMLElement>('.waited[data-since]')) {
      node.textContent = waited(node.dataset['since'] ?? '');
    }
  }

  private say(message: string): void {
    this.parts.notice.textContent = message;
  }
}

const root = document.getElementById('console');
if (root) void start(root);
