import {
  ActivityHandler,
  type ConversationState,
  type StatePropertyAccessor,
  type TurnContext,
  type UserState,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { Driver } from '../booking-core/index.ts';
import { Answers } from './answers.ts';
import type { DialogDeps } from './deps.ts';
import { BOOKING_DIALOG, BookingDialog } from './dialogs/booking.dialog.ts';
import { mergeDetails, type BookingDraft } from './dialogs/booking-draft.ts';
import { DELETE_DATA_DIALOG, DeleteDataDialog } from './dialogs/delete-data.dialog.ts';
import { CANCEL_DIALOG, CancelDialog, EXTEND_DIALOG, ExtendDialog } from './dialogs/manage.dialog.ts';
import { messages } from './messages/index.ts';
import type { Intent, Locale, Understood } from './ports.ts';
import { button, CONVERSATION_ID, DRIVER, parseValue, reply, setTurnInfo, turnInfo } from './turn.ts';

export const MAX_MESSAGE_LENGTH = 2000;

/** Per-conversation memory outside the dialog stack. */
interface ChatMemory {
  locale?: Locale;
  lastMessageAt?: string;
  misunderstandings?: number;
}

export interface ParkingBotOptions {
  readonly deps: DialogDeps;
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  /** zone for understanding times before a facility is known */
  readonly defaultTimeZone: string;
  /** a flow left idle this long starts over */
  readonly idleMinutes: number;
  readonly clock?: () => Date;
}

const EXIT =
  /^(cancel|stop|quit|exit|never ?mind|forget it|abort|cancelar|cancela|para|parar|basta|olv[ií]dalo|d[ée]jalo|salir)[\s.!]*$/i;
/** intents that can interrupt a flow for one answer, after which the flow goes on */
const DIGRESSIONS: ReadonlySet<Intent> = new Set(['help', 'pricing', 'my_bookings', 'thanks', 'greet']);

/**
 * The parking bot: understands each message once, lets the driver leave or digress from any flow,
 * continues the active dialog, and otherwise routes by intent. Dialogs hold the multi-turn flows.
 */
export class ParkingBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly memory: StatePropertyAccessor<ChatMemory>;
  private readonly dialogs: DialogSet;
  private readonly answers: Answers;

  constructor(private readonly o: ParkingBotOptions) {
    super();
    this.dialogState = o.conversationState.createProperty<DialogState>('dialogState');
    this.memory = o.conversationState.createProperty<ChatMemory>('chat');
    this.answers = new Answers(o.deps);
    this.dialogs = new DialogSet(this.dialogState)
      .add(new BookingDialog(o.deps))
      .add(new CancelDialog(o.deps))
      .add(new ExtendDialog(o.deps))
      .add(new DeleteDataDialog(o.deps, (ctx) => this.forget(ctx)));
    this.onMessage(async (ctx, next) => {
      await this.handleMessage(ctx);
      await next();
    });
  }

  /**
   * Runs a turn and saves state. With `OptimisticStorage` (as `createParkingBot` builds it) the save
   * is eTag-checked: a concurrent save of the same conversation fails with `StateConflictError`.
   */
  override async run(ctx: TurnContext): Promise<void> {
    await super.run(ctx);
    await this.o.conversationState.saveChanges(ctx);
    await this.o.userState.saveChanges(ctx);
  }

  private async forget(ctx: TurnContext): Promise<void> {
    await this.o.conversationState.delete(ctx);
    await this.o.userState.delete(ctx);
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const driver = ctx.turnState.get(DRIVER) as Driver;
    const now = this.o.clock?.() ?? new Date();
    const memory = await this.memory.get(ctx, {});
    const raw = typeof ctx.activity.text === 'string' ? ctx.activity.text.trim() : '';
    const text = raw.slice(0, MAX_MESSAGE_LENGTH);
    const value = typeof ctx.activity.value === 'string' ? ctx.activity.value : null;
    const understood = await this.understand(text, value, memory, now);
    const locale = understood.locale;
    if (locale !== memory.locale) {
      memory.locale = locale;
      if (driver.preferredLanguage !== locale)
        await this.o.deps.core.drivers.setPreferredLanguage(driver.id, locale);
    }
    setTurnInfo(ctx, {
      driver,
      locale,
      now,
      timeZone: this.o.defaultTimeZone,
      text,
      value,
      understood,
      conversationId: (ctx.turnState.get(CONVERSATION_ID) as string | undefined) ?? null,
    });
    const m = messages(locale);
    if (raw.length > MAX_MESSAGE_LENGTH) await ctx.sendActivity(m.tooLong(MAX_MESSAGE_LENGTH));

    const dc = await this.dialogs.createContext(ctx);
    const idle =
      memory.lastMessageAt && now.getTime() - Date.parse(memory.lastMessageAt) > this.o.idleMinutes * 60_000;
    memory.lastMessageAt = now.toISOString();
    if (idle && dc.activeDialog) {
      await dc.cancelAllDialogs();
      await ctx.sendActivity(m.idleExpired);
    }
    if (dc.activeDialog && (await this.interrupt(dc, understood, text))) return;
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) {
      memory.misunderstandings = 0;
      return;
    }
    await this.route(dc, understood, memory);
  }

  /** Understands a typed message, or turns a pressed button into what it means. */
  private async understand(
    text: string,
    value: string | null,
    memory: ChatMemory,
    now: Date,
  ): Promise<Understood> {
    const locale = memory.locale ?? 'en';
    const pressed = parseValue(value);
    if (pressed || !text) {
      const intent = pressed?.kind === 'intent' ? (pressed.payload as Intent) : 'none';
      return { intent, score: 1, locale, entities: {} };
    }
    // Short replies ("ok", "9am", a plate) say little about language: keep the conversation's.
    const fixLocale = text.split(/\s+/).length < 3 && memory.locale ? memory.locale : undefined;
    return this.o.deps.understanding.classify(text, {
      ...(fixLocale ? { locale: fixLocale } : {}),
      now,
      timeZone: this.o.defaultTimeZone,
    });
  }

  /** Leaving, asking for a person, or a quick question in the middle of a flow. True when handled. */
  private async interrupt(dc: DialogContext, u: Understood, text: string): Promise<boolean> {
    const m = messages(u.locale);
    if (EXIT.test(text)) {
      await dc.cancelAllDialogs();
      await dc.context.sendActivity(m.stopped);
      return true;
    }
    if (u.intent === 'human_agent') {
      await dc.cancelAllDialogs();
      await this.answers.handoff(dc.context, text || null);
      return true;
    }
    const e = u.entities;
    const detailsGiven = Boolean(
      e.facility || e.time || e.durationMinutes || e.plate || e.spaceKind || e.place,
    );
    if (DIGRESSIONS.has(u.intent) && !detailsGiven && !u.ambiguous) {
      await this.answerIntent(dc, u);
      await dc.repromptDialog();
      return true;
    }
    return false;
  }

  private async route(dc: DialogContext, u: Understood, memory: ChatMemory): Promise<void> {
    const ctx = dc.context;
    const m = messages(u.locale);
    const pressed = parseValue(turnInfo(ctx).value);
    const byValue: Record<string, () => Promise<unknown>> = {
      facility: () => dc.beginDialog(BOOKING_DIALOG, { facilityId: pressed?.payload } satisfies BookingDraft),
      book: () => dc.beginDialog(BOOKING_DIALOG, { facilityId: pressed?.payload } satisfies BookingDraft),
      cancel: () => dc.beginDialog(CANCEL_DIALOG, { bookingId: pressed?.payload }),
      extend: () => dc.beginDialog(EXTEND_DIALOG, { bookingId: pressed?.payload }),
      location: () => this.shareLocation(dc, pressed?.payload ?? ''),
    };
    const handler = pressed && byValue[pressed.kind];
    if (handler) {
      memory.misunderstandings = 0;
      await handler();
      return;
    }
    if (u.ambiguous) {
      const [a, b] = u.ambiguous;
      await ctx.sendActivity(
        reply(m.didYouMean, [
          button(intentLabel(a, u.locale), `intent:${a}`),
          button(intentLabel(b, u.locale), `intent:${b}`),
        ]),
      );
      return;
    }
    const e = u.entities;
    if (u.intent === 'none' && (e.facility || e.place) && (e.time?.start || e.time?.end || e.plate)) {
      // "King's Cross tomorrow 7 to 8, plate AB12CDE" says what it wants even when the
      // classifier is unsure: a place and a time (or plate) is a booking.
      memory.misunderstandings = 0;
      await this.book(dc, u);
      return;
    }
    if (u.intent === 'none' || u.intent === 'affirm' || u.intent === 'deny') {
      memory.misunderstandings = (memory.misunderstandings ?? 0) + 1;
      const text = memory.misunderstandings >= 2 ? m.offerPerson : (m.notUnderstood[0] ?? '');
      const buttons =
        memory.misunderstandings >= 2
          ? [button(m.talkToPerson, 'intent:human_agent'), button(m.showHelp, 'intent:help')]
          : [];
      await ctx.sendActivity(reply(text, buttons));
      return;
    }
    memory.misunderstandings = 0;
    await this.answerIntent(dc, u);
  }

  private async answerIntent(dc: DialogContext, u: Understood): Promise<void> {
    const ctx = dc.context;
    const m = messages(u.locale);
    const e = u.entities;
    const byIntent: Partial<Record<Intent, () => Promise<unknown>>> = {
      greet: () => this.answers.greet(ctx),
      goodbye: () => ctx.sendActivity(m.goodbye),
      thanks: () => ctx.sendActivity(m.thanks),
      help: () => ctx.sendActivity(reply(m.help, this.answers.startButtons(ctx))),
      find_parking: () =>
        e.time?.start && (e.facility || e.place) ? this.book(dc, u) : this.answers.findParking(ctx, e),
      book_parking: () => this.book(dc, u),
      my_bookings: () => this.answers.myBookings(ctx),
      cancel_booking: () =>
        dc.beginDialog(CANCEL_DIALOG, e.bookingReference ? { reference: e.bookingReference } : {}),
      extend_booking: () =>
        dc.beginDialog(EXTEND_DIALOG, e.bookingReference ? { reference: e.bookingReference } : {}),
      pricing: () => this.answers.pricing(ctx, e),
      pay: () => ctx.sendActivity(m.pay),
      human_agent: () => this.answers.handoff(ctx, turnInfo(ctx).text || null),
      delete_my_data: () => dc.beginDialog(DELETE_DATA_DIALOG),
    };
    await (byIntent[u.intent] ?? (() => ctx.sendActivity(m.help)))();
  }

  private book(dc: DialogContext, u: Understood) {
    const e = u.entities;
    // "until half past six" with no start means from now.
    const fromNow =
      e.time?.end && !e.time.start ? { ...e, time: { ...e.time, start: turnInfo(dc.context).now } } : e;
    const { draft } = mergeDetails({}, fromNow);
    return dc.beginDialog(BOOKING_DIALOG, draft);
  }

  private async shareLocation(dc: DialogContext, payload: string) {
    const [lat, lng] = payload.split(',').map(Number);
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) {
      await dc.context.sendActivity(messages(turnInfo(dc.context).locale).askFacility);
      return;
    }
    await this.answers.findParking(dc.context, {}, { latitude: lat!, longitude: lng! });
  }
}

const LABELS: Record<Locale, Partial<Record<Intent, string>>> = {
  en: {
    find_parking: 'Find parking',
    book_parking: 'Book a space',
    cancel_booking: 'Cancel a booking',
    extend_booking: 'Extend a booking',
    my_bookings: 'My bookings',
    pricing: 'Prices',
    pay: 'Payment',
    human_agent: 'Talk to a person',
    help: 'Help',
    delete_my_data: 'Delete my data',
  },
  es: {
    find_parking: 'Buscar aparcamiento',
    book_parking: 'Reservar plaza',
    cancel_booking: 'Cancelar una reserva',
    extend_booking: 'Ampliar una reserva',
    my_bookings: 'Mis reservas',
    pricing: 'Precios',
    pay: 'Pago',
    human_agent: 'Hablar con una persona',
    help: 'Ayuda',
    delete_my_data: 'Borrar mis datos',
  },
};
const intentLabel = (i: Intent, locale: Locale) => LABELS[locale][i] ?? i;
