import { answerPayment, extendOptions, reminderWords } from './dialogs/payment.ts';
import {
  ActivityHandler,
  type ConversationState,
  type StatePropertyAccessor,
  type TurnContext,
  type UserState,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { Driver } from '../booking-core/index.ts';
import { Answers, type AnswerContext } from './answers.ts';
import { sameDayRange } from './dialogs/time-sense.ts';
import { upcomingBookings } from './dialogs/choose-booking.ts';
import { findLandmark } from './landmarks.ts';
import {
  aboutDraft,
  askedQuestion,
  detectPattern,
  isClearlyElsewhere,
  isPaymentDispute,
  patternOfButton,
  wantsToLeave,
  type Pattern,
  type Question,
} from './patterns/index.ts';
import type { DialogDeps } from './deps.ts';
import { answerSpaceStatus } from './space-status.ts';
import { BOOKING_DIALOG, BookingDialog } from './dialogs/booking.dialog.ts';
import { anchorToDraftDay, mergeDetails, type BookingDraft } from './dialogs/booking-draft.ts';
import { DELETE_DATA_DIALOG, DeleteDataDialog } from './dialogs/delete-data.dialog.ts';
import { CANCEL_DIALOG, CancelDialog, EXTEND_DIALOG, ExtendDialog } from './dialogs/manage.dialog.ts';
import { messages } from './messages/index.ts';
import type { Intent, Locale, Understood } from './ports.ts';
import {
  button,
  CONVERSATION_ID,
  DRIVER,
  FACILITY_OF_TURN,
  parseValue,
  reply,
  setTurnInfo,
  turnInfo,
} from './turn.ts';

export const MAX_MESSAGE_LENGTH = 2000;

/** Per-conversation memory outside the dialog stack. */
interface ChatMemory {
  locale?: Locale;
  lastMessageAt?: string;
  misunderstandings?: number;
  /** messages so far, to tell how recent `context` is */
  turn?: number;
  /** what the last direct answer was about ("3 hours at Southbank tomorrow"), for a booking that follows */
  context?: AnswerContext;
  contextTurn?: number;
  /** the booking being made, as of its last question */
  draft?: BookingDraft;
}

/** intents that say little about what a message wants: its booking details say more */
const LOOSE: ReadonlySet<Intent> = new Set(['none', 'greet', 'goodbye', 'thanks', 'affirm', 'deny', 'pay']);

const BOOK_VERB =
  /^(pls |please |can you |could you |i'?d like to |i want to |want to )?(book|reserve|reservar?|res[eé]rvame)\b/i;

/** where botbuilder-dialogs keeps a turn's memory scopes (its `DialogStateManager` reads them) */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/** A direct answer's details carry into a booking started within this many messages. */
const CONTEXT_TURNS = 3;

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

/**
 * The parking bot: understands each message once, lets the driver leave or digress from any flow,
 * continues the active dialog, and otherwise routes by intent. Dialogs hold the multi-turn flows.
 */
export class ParkingBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly memory: StatePropertyAccessor<ChatMemory>;
  private readonly dialogs: DialogSet;
  private readonly answers: Answers;
  private memoryScopes: unknown;

  constructor(private readonly o: ParkingBotOptions) {
    super();
    this.dialogState = o.conversationState.createProperty<DialogState>('dialogState');
    this.memory = o.conversationState.createProperty<ChatMemory>('chat');
    this.answers = new Answers(o.deps);
    this.dialogs = new DialogSet(this.dialogState)
      .add(
        new BookingDialog(o.deps, async (ctx, draft) => {
          (await this.memory.get(ctx, {})).draft = draft;
          if (draft.facilityId) ctx.turnState.set(FACILITY_OF_TURN, draft.facilityId);
        }),
      )
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

  /**
   * The turn's dialog context. botbuilder builds the memory scopes of every dialog context anew
   * (a service collection, a dozen scope objects) unless the turn already has them; they hold no
   * turn's data, so one set built on the first turn serves every turn after.
   */
  private async createDialogContext(ctx: TurnContext): Promise<DialogContext> {
    if (this.memoryScopes) ctx.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.memoryScopes);
    const dc = await this.dialogs.createContext(ctx);
    this.memoryScopes ??= ctx.turnState.get(DIALOG_STATE_MANAGER_CONFIGURATION) as unknown;
    return dc;
  }

  private async forget(ctx: TurnContext): Promise<void> {
    await this.o.conversationState.delete(ctx);
    await this.o.userState.delete(ctx);
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const driver = ctx.turnState.get(DRIVER) as Driver;
    const now = this.o.clock?.() ?? new Date();
    const memory = await this.memory.get(ctx, {});
    // A channel's language hint (Telegram's language_code) holds until the driver writes in another.
    memory.locale ??= (['en', 'es'] as const).find((l) => ctx.activity.locale?.toLowerCase().startsWith(l));
    const raw = typeof ctx.activity.text === 'string' ? ctx.activity.text.trim() : '';
    const text = raw.slice(0, MAX_MESSAGE_LENGTH);
    const value = typeof ctx.activity.value === 'string' ? ctx.activity.value : null;
    const heard = await this.understand(text, value, memory, now);
    const understood: Understood = {
      ...heard,
      // A payment dispute is about paying whatever else the model heard in it ("you took the money twice").
      ...(isPaymentDispute(text) ? { intent: 'pay' as const, ambiguous: undefined } : {}),
      entities: await this.review(heard.entities, text),
    };
    memory.turn = (memory.turn ?? 0) + 1;
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

    const dc = await this.createDialogContext(ctx);
    const idle =
      memory.lastMessageAt && now.getTime() - Date.parse(memory.lastMessageAt) > this.o.idleMinutes * 60_000;
    memory.lastMessageAt = now.toISOString();
    if (idle && dc.activeDialog) {
      await dc.cancelAllDialogs();
      await ctx.sendActivity(m.idleExpired);
    }
    if (dc.activeDialog && (await this.interrupt(dc, understood, text, memory))) return;
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) {
      memory.misunderstandings = 0;
      return;
    }
    await this.route(dc, understood, memory);
  }

  /**
   * Second thoughts on what was heard: a bare range belongs to one day, and a famous place that
   * only shares a word with one of our car parks ("Heathrow" in "Heathrow Express") is that place.
   */
  private async review(e: Understood['entities'], text: string): Promise<Understood['entities']> {
    const ranged = sameDayRange(e, text, this.o.defaultTimeZone);
    const landmark = findLandmark(text);
    if (!landmark || !ranged.facility) return ranged;
    const f = await this.o.deps.directory.get(ranged.facility.id);
    const plain = (s: string) => s.toLowerCase().replace(/[’']/g, '');
    if (f && [f.name, ...f.aliases].some((n) => plain(text).includes(plain(n)))) return ranged;
    const { facility: _f, ...rest } = ranged;
    return { ...rest, place: landmark.name };
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
    const words = text.split(/\s+/).filter((w) => /^[^\d]{2,}$/.test(w)).length;
    const fixLocale = words < 4 && memory.locale ? memory.locale : undefined;
    return this.o.deps.understanding.classify(text, {
      ...(fixLocale ? { locale: fixLocale } : {}),
      ...(memory.locale ? { languageHint: memory.locale } : {}),
      now,
      timeZone: this.o.defaultTimeZone,
    });
  }

  /**
   * The conversation patterns, one place for every flow: leaving, a person, another flow, a
   * question or small talk in the middle of a prompt. True when the message was handled here.
   */
  private async interrupt(
    dc: DialogContext,
    u: Understood,
    text: string,
    memory: ChatMemory,
  ): Promise<boolean> {
    const m = messages(u.locale);
    const flow = dc.stack[0]?.id ?? '';
    const pressed = parseValue(turnInfo(dc.context).value);
    const pattern: Pattern =
      pressed?.kind === 'intent' ? patternOfButton(u.intent) : detectPattern(u, text, { flow });
    const leave = async (say: string) => {
      await dc.cancelAllDialogs();
      if (say) await dc.context.sendActivity(say);
    };
    const askAgain = async (answer: () => Promise<unknown>) => {
      await answer();
      await dc.repromptDialog();
    };
    const handlers: Record<Pattern['kind'], () => Promise<unknown>> = {
      cancel: () => leave(flow === BOOKING_DIALOG ? m.stopped : m.stoppedNothingChanged),
      handoff: async () => {
        await leave('');
        await this.answers.handoff(dc.context, text || null);
      },
      switch: async () => {
        await leave(flow === BOOKING_DIALOG ? m.leftBooking : '');
        await this.answerIntent(dc, pattern.kind === 'switch' ? { ...u, intent: pattern.intent } : u, memory);
      },
      digression: async () => {
        const answer = () =>
          pattern.kind === 'digression' && pattern.question
            ? this.answerQuestion(
                dc.context,
                pattern.question,
                flow === BOOKING_DIALOG ? aboutDraft(u, memory.draft) : u,
                memory,
                true,
              )
            : this.answerIntent(dc, u, memory);
        if (
          flow === BOOKING_DIALOG &&
          pattern.kind === 'digression' &&
          pattern.question &&
          u.entities.facility &&
          !memory.draft?.facilityId
        ) {
          // "how much is it at wembley" while asked where: answered, and the car park goes into
          // the booking too (the flow reads this message as its answer and asks what is missing)
          await answer();
          await dc.continueDialog();
          return;
        }
        await askAgain(answer);
      },
      chitchat: () => askAgain(() => dc.context.sendActivity(u.intent === 'greet' ? m.hello : m.thanks)),
      goodbye: () => leave(flow === BOOKING_DIALOG ? m.goodbyeMidFlow : m.goodbye),
      cannotHandle: () => askAgain(() => dc.context.sendActivity(m.cannotHandle)),
      fill: async () => undefined,
    };
    if (pattern.kind === 'fill') return false;
    await handlers[pattern.kind]();
    memory.misunderstandings = 0;
    return true;
  }

  /** A direct question answered in one reply; what it was about is kept for a booking that follows. */
  private async answerQuestion(
    ctx: TurnContext,
    q: Question,
    u: Understood,
    memory: ChatMemory,
    inFlow = false,
  ) {
    const e = u.entities;
    const answer: Record<Question, () => Promise<AnswerContext | void>> = {
      space: () => answerSpaceStatus(ctx, this.o.deps, e, this.recentContext(memory)?.facilityId),
      availability: () => this.answers.availability(ctx, e),
      price: () => this.answers.price(ctx, e, !inFlow),
      hours: () => this.answers.facilityInfo(ctx, e, 'hours'),
      maxStay: () => this.answers.facilityInfo(ctx, e, 'maxStay'),
    };
    this.remember(memory, await answer[q]());
  }

  private remember(memory: ChatMemory, context: AnswerContext | void) {
    if (!context) return;
    // what an answer did not say stays as the one before said it ("tomorrow?" … "at paddington")
    const before = this.recentContext(memory) ?? {};
    const saysWhen = ['day', 'start', 'end', 'durationMinutes'].some((k) => k in context);
    const { day, start, end, durationMinutes, ...rest } = before;
    const when = saysWhen ? {} : { day, start, end, durationMinutes };
    memory.context = clean({ ...rest, ...when, ...context });
    memory.contextTurn = memory.turn ?? 0;
  }

  /** The recent direct answer's details, if any, to start a booking from. */
  private recentContext(memory: ChatMemory): AnswerContext | undefined {
    const fresh = memory.context && (memory.turn ?? 0) - (memory.contextTurn ?? 0) <= CONTEXT_TURNS;
    return fresh ? memory.context : undefined;
  }

  private async route(dc: DialogContext, u: Understood, memory: ChatMemory): Promise<void> {
    const ctx = dc.context;
    const m = messages(u.locale);
    const { text, value } = turnInfo(ctx);
    const pressed = parseValue(value);
    const startAt = (facilityId?: string) => {
      const context = this.recentContext(memory);
      const keep = context && (!facilityId || context.facilityId === facilityId) ? context : {};
      const facility = facilityId ? { facilityId, facilityName: undefined } : {};
      return dc.beginDialog(BOOKING_DIALOG, clean({ ...keep, ...facility }) satisfies BookingDraft);
    };
    const byValue: Record<string, () => Promise<unknown>> = {
      facility: () => startAt(pressed?.payload),
      book: () => startAt(pressed?.payload),
      cancel: () => dc.beginDialog(CANCEL_DIALOG, { bookingId: pressed?.payload }),
      // "extend:<id>" asks for how long; "extend:<id>+60" (a reminder's Extend button) adds an hour
      extend: () => dc.beginDialog(EXTEND_DIALOG, extendOptions(pressed?.payload ?? '')),
      location: () => this.shareLocation(dc, pressed?.payload ?? ''),
    };
    if (text && (await reminderWords(ctx, this.o.deps, text))) return;
    const handler = pressed && byValue[pressed.kind];
    if (handler) {
      memory.misunderstandings = 0;
      await handler();
      return;
    }
    const question = text ? askedQuestion(text, u) : null;
    if (question) {
      memory.misunderstandings = 0;
      await this.answerQuestion(ctx, question, u, memory);
      return;
    }
    const e = u.entities;
    const details = Boolean(e.facility || e.place || e.time || e.durationMinutes || e.plate);
    const wantsIt = u.ambiguous?.some((i) => i === 'book_parking' || i === 'affirm');
    if (
      (u.ambiguous?.some((i) => i === 'book_parking') && details) ||
      (wantsIt && this.recentContext(memory))
    ) {
      // "I need parking at Paddington for 2 hours": unsure between booking and a price, but it
      // gives booking details and asks nothing: book, and the quote shows the price.
      memory.misunderstandings = 0;
      await this.book(dc, u, memory);
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
    const where = e.facility || e.place || this.recentContext(memory)?.facilityId;
    if (LOOSE.has(u.intent) && where && (e.time?.start || e.time?.end || e.plate || e.durationMinutes)) {
      // "King's Cross tomorrow 7 to 8, plate AB12CDE" says what it wants even when the
      // classifier is unsure: a place and a time (or plate) is a booking — also when the place
      // is the car park just shown ("wembley" → its card → "tmrw 10 to 12").
      memory.misunderstandings = 0;
      await this.book(dc, u, memory);
      return;
    }
    if (
      (u.intent === 'extend_booking' || u.intent === 'my_bookings') &&
      (e.facility || e.place) &&
      e.time?.start &&
      !e.bookingReference &&
      !(await upcomingBookings(this.o.deps, ctx)).length
    ) {
      // "2moro 9 til 11 at kx": read as "extend … until 11" or "my booking at…", but there is
      // nothing to extend or show, and it names a place and a start: a new booking.
      memory.misunderstandings = 0;
      await this.book(dc, u, memory);
      return;
    }
    if (e.facility && text.split(/\s+/).length <= 3 && !['book_parking', 'find_parking'].includes(u.intent)) {
      // A car park's name on its own: show it, with its live count and a "book here" button.
      memory.misunderstandings = 0;
      this.remember(memory, await this.answers.findParking(ctx, e));
      return;
    }
    if (u.intent === 'none' && BOOK_VERB.test(text)) {
      // "book me a slot": a booking verb first thing is a booking, whatever the classifier's doubt.
      memory.misunderstandings = 0;
      await this.book(dc, u, memory);
      return;
    }
    if (u.intent === 'affirm' && this.recentContext(memory)) {
      // "yes" / "ok" after a price or availability answer: book that.
      memory.misunderstandings = 0;
      await this.book(dc, u, memory);
      return;
    }
    if (wantsToLeave(text) && LOOSE.has(u.intent)) {
      await ctx.sendActivity(reply(m.stoppedNothingChanged, this.answers.startButtons(ctx)));
      return;
    }
    if (u.intent === 'none' || u.intent === 'affirm' || u.intent === 'deny') {
      memory.misunderstandings = (memory.misunderstandings ?? 0) + 1;
      if (isClearlyElsewhere(u, text) && memory.misunderstandings < 2) {
        // "what's the weather like": not for a parking bot, and no use asking to rephrase it
        await ctx.sendActivity(reply(`${m.cannotHandle} ${m.whatICanDo}`, this.answers.startButtons(ctx)));
        return;
      }
      const again = memory.misunderstandings >= 2 ? m.offerPerson : (m.notUnderstood[0] ?? '');
      const buttons =
        memory.misunderstandings >= 2
          ? [button(m.talkToPerson, 'intent:human_agent'), button(m.showHelp, 'intent:help')]
          : [];
      await ctx.sendActivity(reply(again, buttons));
      return;
    }
    memory.misunderstandings = 0;
    await this.answerIntent(dc, u, memory);
  }

  private async answerIntent(dc: DialogContext, u: Understood, memory: ChatMemory): Promise<void> {
    const ctx = dc.context;
    const m = messages(u.locale);
    const e = u.entities;
    const byIntent: Partial<Record<Intent, () => Promise<unknown>>> = {
      greet: () => this.answers.greet(ctx),
      goodbye: () => ctx.sendActivity(m.goodbye),
      thanks: () => ctx.sendActivity(m.thanks),
      help: () => this.answers.help(ctx),
      find_parking: async () =>
        // "quiero aparcar en wembley mañana": a place (or the car park just shown) and a day or a
        // stay is a booking to finish
        (e.facility || e.place || this.recentContext(memory)?.facilityId) &&
        (e.time?.start || e.durationMinutes)
          ? this.book(dc, u, memory)
          : e.spaceKind
            ? this.answerQuestion(ctx, 'availability', u, memory) // "plaza para minusválidos en kings cross"
            : this.remember(memory, await this.answers.findParking(ctx, e)),
      book_parking: () => this.book(dc, u, memory),
      my_bookings: () => this.answers.myBookings(ctx),
      cancel_booking: () =>
        dc.beginDialog(CANCEL_DIALOG, e.bookingReference ? { reference: e.bookingReference } : {}),
      extend_booking: () =>
        dc.beginDialog(EXTEND_DIALOG, e.bookingReference ? { reference: e.bookingReference } : {}),
      pricing: () => this.answerQuestion(ctx, 'price', u, memory),
      pay: () => answerPayment(ctx, this.o.deps, (reason) => this.answers.handoff(ctx, reason)),
      human_agent: () => this.answers.handoff(ctx, turnInfo(ctx).text || null),
      delete_my_data: () => dc.beginDialog(DELETE_DATA_DIALOG),
    };
    await (byIntent[u.intent] ?? (() => this.answers.help(ctx)))();
  }

  /** Starts a booking from this message's details, on top of a recent answer's ("ok book it"). */
  private book(dc: DialogContext, u: Understood, memory: ChatMemory) {
    const e = u.entities;
    const context = this.recentContext(memory);
    const base = context && (!e.facility || e.facility.id === context.facilityId) ? context : {};
    memory.context = undefined;
    const { text, now } = turnInfo(dc.context);
    // a time alone goes on the day asked about before ("tomorrow?" … "at 9")
    const onDay = anchorToDraftDay(e, text, base, this.o.defaultTimeZone);
    // "until half past six" with no start means from now.
    const fromNow =
      onDay.time?.end && !onDay.time.start ? { ...onDay, time: { ...onDay.time, start: now } } : onDay;
    const { draft } = mergeDetails(base, fromNow);
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

const clean = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
