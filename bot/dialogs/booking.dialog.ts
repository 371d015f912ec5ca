import { offerPayment } from './payment.ts';
import { ForecastAdvice } from './forecast-advice.ts';
import type { Activity, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { Answers } from '../answers.ts';
import { findLandmark } from '../landmarks.ts';
import type { DialogDeps } from '../deps.ts';
import type { Understood } from '../ports.ts';
import { passedTime } from './time-sense.ts';
import { formatDay, formatWhen, formatWindow, formatMoney } from '../format.ts';
import { refusalText } from '../replies.ts';
import { button, parseValue, reply, requestLocation, say, turnInfo, vals } from '../turn.ts';
import {
  anchorToDraftDay,
  bareClock,
  bareClockTime,
  mergeDetails,
  missingSlot,
  type BookingDraft,
  type Change,
  type Slot,
} from './booking-draft.ts';

export const BOOKING_DIALOG = 'booking';
const MAIN = 'booking.main';
const FILL = 'booking.fill';
const SLOT_PROMPT = 'booking.slot';
const CONFIRM_PROMPT = 'booking.confirm';

/** Draft plus where the conversation stands; JSON-safe. */
interface FillState extends BookingDraft {
  /** the driver asked to change something: ask what */
  readonly awaitingChange?: boolean;
  readonly near?: { readonly latitude: number; readonly longitude: number };
  /** the asked time has passed: this proposal of others is the question for the start */
  readonly passedProposal?: Partial<Activity>;
}

const PLATE_LIKE = /^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/;

/**
 * Books a space in as few messages as the driver allows: takes whatever details they already
 * gave, asks only for what is missing (facility, start, end, plate), accepts corrections at any
 * point ("actually make it 3pm"), confirms with the quote, then holds and confirms the space.
 */
export class BookingDialog extends ComponentDialog {
  private readonly answers: Answers;
  private readonly advice: ForecastAdvice;

  constructor(
    private readonly deps: DialogDeps,
    /** told the draft at every question, so a question in between can be about this stay */
    private readonly onDraft: (ctx: TurnContext, draft: BookingDraft) => Promise<void> = async () => {},
  ) {
    super(BOOKING_DIALOG);
    this.answers = new Answers(deps);
    this.advice = new ForecastAdvice(deps);
    this.addDialog(new TextPrompt(SLOT_PROMPT, (p) => this.validateSlot(p)));
    this.addDialog(new TextPrompt(CONFIRM_PROMPT, async () => true));
    this.addDialog(new WaterfallDialog(FILL, [(s) => this.askNext(s), (s) => this.absorb(s)]));
    this.addDialog(
      new WaterfallDialog(MAIN, [(s) => this.fill(s), (s) => this.offer(s), (s) => this.decide(s)]),
    );
    this.initialDialogId = MAIN;
  }

  private async fill(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(FILL, await this.reviewTime(step.context, (step.options ?? {}) as FillState));
  }

  /**
   * A start that has passed (or "this afternoon" said after the afternoon) is never booked as is,
   * nor moved to tomorrow silently: say so, propose from now or the same time the next day, and ask.
   */
  private async reviewTime(ctx: TurnContext, state: FillState): Promise<FillState> {
    if (!state.start) return state;
    const { text, now, locale } = turnInfo(ctx);
    const zone = await this.zoneOf(state);
    const start = new Date(state.start);
    const end = state.end ? new Date(state.end) : undefined;
    const passed = passedTime({ start, ...(end ? { end } : {}) }, text, now, zone);
    if (!passed) return state;
    const m = say(ctx);
    const [fromNow, nextDay] = passed.proposals;
    const fmt = (w: { start: Date; end: Date }) => formatWindow(w.start, w.end, zone, locale, now);
    const buttons = [
      ...(fromNow ? [button(m.fromNow(fmt(fromNow)), windowValue(fromNow))] : []),
      ...(nextDay ? [button(upperFirst(fmt(nextDay)), windowValue(nextDay))] : []),
    ];
    const asked = formatWhen(passed.asked, zone, locale, now);
    const nowText = formatWhen(now, zone, locale, now).replace(/^\S+ /, '');
    const minutes = end ? Math.round((end.getTime() - start.getTime()) / 60_000) : undefined;
    const { start: _s, end: _e, ...rest } = state;
    // asked when the start is asked for (after the car park, if that is missing), instead of "when?"
    return {
      ...rest,
      ...(minutes ? { durationMinutes: minutes } : {}),
      passedProposal: reply(`${m.passed(asked, nowText)} ${m.proposeInstead}`, buttons),
    };
  }

  // ---- filling the draft -------------------------------------------------------------------

  private async askNext(step: WaterfallStepContext): Promise<DialogTurnResult> {
    let state = (step.options ?? {}) as FillState;
    const m = say(step.context);
    if (state.awaitingChange) {
      vals(step)['slot'] = 'any';
      return step.prompt(SLOT_PROMPT, { prompt: reply(m.whatToChange), validations: { slot: 'any' } });
    }
    if (!state.facilityId && (state.place || state.near)) {
      const resolved = await this.resolvePlace(step.context, state);
      if (resolved.prompt) {
        vals(step)['state'] = resolved.state;
        vals(step)['slot'] = 'facility';
        return step.prompt(SLOT_PROMPT, {
          prompt: resolved.prompt,
          retryPrompt: reply(m.askFacilityRetry),
          validations: { slot: 'facility' },
        });
      }
      state = resolved.state;
    }
    const { passedProposal, ...draft } = state;
    state = draft;
    vals(step)['state'] = state;
    await this.onDraft(step.context, state);
    const slot = missingSlot(state);
    if (!slot) return step.endDialog(state);
    vals(step)['slot'] = slot;
    if (passedProposal && slot !== 'start') await step.context.sendActivity(passedProposal);
    return step.prompt(SLOT_PROMPT, {
      prompt:
        passedProposal && slot === 'start' ? passedProposal : await this.question(step.context, slot, state),
      retryPrompt: reply(
        slot === 'plate' ? m.askPlateRetry : slot === 'facility' ? m.askFacilityRetry : m.askTimeRetry,
      ),
      validations: { slot },
    });
  }

  private async question(ctx: TurnContext, slot: Slot, state: FillState): Promise<Partial<Activity>> {
    const m = say(ctx);
    if (slot === 'facility') return reply(m.askFacility, [requestLocation(m.shareLocation)]);
    if (slot === 'start' && state.day) {
      // "tomorrow" is known: ask for the time on it
      const { now, locale } = turnInfo(ctx);
      return reply(m.askStartOn(formatDay(new Date(state.day), await this.zoneOf(state), locale, now)));
    }
    if (slot === 'start') return reply(m.askStart);
    if (slot === 'end')
      return reply(
        m.askEnd,
        [1, 2, 3].map((h) => button(m.hours(h), `duration:${h * 60}`)),
      );
    const plates = await this.deps.core.drivers.plates(turnInfo(ctx).driver.id);
    return reply(
      m.askPlate,
      plates.slice(0, 3).map((p) => button(p, `plate:${p}`)),
    );
  }

  /** Turns a landmark or a shared location into a facility, or a card to choose one from. */
  private async resolvePlace(
    ctx: TurnContext,
    state: FillState,
  ): Promise<{ state: FillState; prompt?: Partial<Activity> }> {
    const m = say(ctx);
    const { locale } = turnInfo(ctx);
    const { place: _place, near: _near, ...rest } = state;
    const candidates = state.near
      ? (await this.deps.directory.summaries({ near: state.near })).slice(0, 5)
      : await this.deps.directory.summaries({
          ids: (await this.deps.directory.matchPlace(state.place ?? '')).map((f) => f.id),
        });
    if (candidates.length === 1 && candidates[0]) {
      return { state: { ...rest, facilityId: candidates[0].id, facilityName: candidates[0].name } };
    }
    if (!candidates.length) {
      await this.answers.unknownPlace(ctx, state.place ?? '');
      return { state: rest };
    }
    const title = state.near ? m.nearest : m.choosePlace(state.place ?? '');
    const card = this.deps.directory.card(title, candidates, locale, (f) =>
      button(m.bookHere, `facility:${f.id}`),
    );
    return { state: rest, prompt: reply(m.chooseFacility, [], [card]) };
  }

  private async validateSlot(p: PromptValidatorContext<string>): Promise<boolean> {
    const { understood, value, text } = turnInfo(p.context);
    const slot = (p.options.validations as { slot: Slot | 'any' }).slot;
    const e = understood.entities;
    const useful = Boolean(
      e.facility || e.place || e.time?.start || e.time?.end || e.durationMinutes || e.plate || e.spaceKind,
    );
    const pressed = parseValue(value);
    if (useful || (pressed && ['facility', 'plate', 'duration', 'location', 'time'].includes(pressed.kind)))
      return true;
    if (slot === 'plate' && PLATE_LIKE.test(text) && text.split(/\s+/).length <= 3) return true;
    if (bareClock(text, slot)) return true; // "9" when asked when
    if (
      slot === 'facility' &&
      text.split(/\s+/).length <= 6 &&
      ((await this.deps.directory.matchPlace(text)).length || findLandmark(text))
    )
      return true;
    // After two failed tries, move on and let the next step end the flow kindly.
    return p.attemptCount >= 3;
  }

  private async absorb(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const before = (vals(step)['state'] ?? step.options ?? {}) as FillState;
    const info = turnInfo(step.context);
    const slot = vals(step)['slot'] as Slot | 'any';
    const zone = await this.zoneOf(before);
    const said = info.understood.entities;
    const clock = said.time ? undefined : bareClockTime(info.text, slot, before, zone, info.now);
    const entities = clock ? { ...said, time: clock } : anchorToDraftDay(said, info.text, before, zone);
    const { draft, changed } = mergeDetails({ ...before, awaitingChange: undefined } as FillState, entities);
    const pressed = parseValue(info.value);
    let state = draft as FillState;
    if (pressed?.kind === 'facility') {
      const f = await this.deps.directory.get(pressed.payload);
      if (f) state = { ...state, facilityId: f.id, facilityName: f.name };
    } else if (pressed?.kind === 'plate') {
      state = { ...state, plate: pressed.payload };
    } else if (pressed?.kind === 'time') {
      const [from, to] = pressed.payload.split('|');
      if (from && to) state = { ...state, start: from, end: to, durationMinutes: undefined, day: undefined };
    } else if (pressed?.kind === 'duration' && state.start) {
      state = mergeDetails(state, { durationMinutes: Number(pressed.payload) }).draft;
    } else if (pressed?.kind === 'location') {
      const [lat, lng] = pressed.payload.split(',').map(Number);
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) return step.replaceDialog(FILL, before); // no position shared
      state = { ...state, near: { latitude: lat!, longitude: lng! } };
    } else if (slot === 'plate' && !info.understood.entities.plate && PLATE_LIKE.test(info.text)) {
      state = { ...state, plate: info.text.toUpperCase().replace(/[\s-]+/g, ' ') };
    } else if (
      slot === 'facility' &&
      !state.facilityId &&
      !state.place &&
      info.text &&
      !hasDetails(entities)
    ) {
      state = { ...state, place: info.text };
    }
    if (
      JSON.stringify(state) === JSON.stringify({ ...before, awaitingChange: undefined }) &&
      !before.awaitingChange
    ) {
      const m = say(step.context);
      await step.context.sendActivity(
        reply(m.offerPerson, [
          button(m.talkToPerson, 'intent:human_agent'),
          button(m.showHelp, 'intent:help'),
        ]),
      );
      return step.endDialog();
    }
    const corrections = changed.filter((c) => c !== slot && isFilled(before, c));
    // an answer to another question than the one asked ("plate is AB12CDE" when asked where): say it was kept
    const besides = changed.some((c) => c === slot || (slot === 'end' && c === 'start')) ? [] : changed;
    const noted = [...new Set([...corrections, ...besides.filter((c) => !isFilled(before, c))])];
    if (noted.length) await step.context.sendActivity(this.describeChanges(step.context, state, noted));
    return step.replaceDialog(FILL, await this.reviewTime(step.context, state));
  }

  private describeChanges(ctx: TurnContext, d: BookingDraft, changes: readonly Change[]): string {
    const m = say(ctx);
    const { locale, now, timeZone } = turnInfo(ctx);
    const parts = changes.map((c) =>
      c === 'facility'
        ? m.changedFacility(d.facilityName ?? '')
        : c === 'start' && d.start
          ? m.changedStart(formatWhen(new Date(d.start), timeZone, locale, now))
          : c === 'end' && d.end
            ? m.changedEnd(formatWhen(new Date(d.end), timeZone, locale, now))
            : c === 'plate'
              ? m.changedPlate(d.plate ?? '')
              : m.changedKind(m.kinds[d.kind ?? 'standard'] ?? ''),
    );
    return m.corrected(parts.join(', '));
  }

  private async zoneOf(d: BookingDraft): Promise<string> {
    const f = d.facilityId ? await this.deps.directory.get(d.facilityId) : null;
    return f?.timeZone ?? 'UTC';
  }

  // ---- quote, confirm, book ----------------------------------------------------------------

  private async offer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const draft = step.result as BookingDraft | undefined;
    if (!draft) return step.endDialog();
    vals(step)['draft'] = draft;
    await this.onDraft(step.context, draft);
    const { locale, now } = turnInfo(step.context);
    const m = say(step.context);
    const facility = await this.deps.directory.get(draft.facilityId ?? '');
    if (!facility) return step.replaceDialog(MAIN, { ...draft, facilityId: undefined });
    const window = { from: new Date(draft.start ?? 0), to: new Date(draft.end ?? 0) };
    const quote = await this.deps.core.facilities.quote(facility.id, window, draft.kind ?? 'standard');
    if (!quote.ok)
      return this.retryAfterRefusal(
        step,
        draft,
        quote.error.code,
        await this.answers.stayProblem(step.context, facility, quote.error.code, {
          start: window.from,
          end: window.to,
        }),
      );
    const q = quote.value;
    const asked = { ...window, kind: draft.kind ?? 'standard', locale };
    const hint = await this.advice.hint(facility, asked, now);
    const quoted = m.quote(
      facility.name,
      m.kinds[draft.kind ?? 'standard'] ?? '',
      formatWindow(window.from, window.to, facility.timeZone, locale, now),
      formatMoney(q.totalMinor, q.currency, locale),
      q.multiplier > 1 ? m.surge(q.multiplier.toFixed(2)) : '',
    );
    const text = hint ? `${quoted}\n${hint}` : quoted;
    const buttons = [
      button(m.bookIt, 'confirm:yes'),
      button(m.change, 'confirm:change'),
      button(m.cancelFlow, 'confirm:no'),
    ];
    return step.prompt(CONFIRM_PROMPT, { prompt: reply(text, buttons) });
  }

  private async decide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const draft = vals(step)['draft'] as BookingDraft;
    const info = turnInfo(step.context);
    const m = say(step.context);
    const pressed = parseValue(info.value);
    const entities = anchorToDraftDay(info.understood.entities, info.text, draft, await this.zoneOf(draft));
    const { draft: corrected, changed } = mergeDetails(draft, entities);
    if (changed.length && pressed?.kind !== 'confirm') {
      await step.context.sendActivity(this.describeChanges(step.context, corrected, changed));
      return step.replaceDialog(MAIN, corrected);
    }
    const answer =
      pressed?.kind === 'confirm'
        ? pressed.payload
        : info.understood.intent === 'affirm'
          ? 'yes'
          : info.understood.intent === 'deny'
            ? 'no'
            : 'change';
    if (answer === 'change') return step.replaceDialog(MAIN, { ...draft, awaitingChange: true });
    if (answer !== 'yes') {
      await step.context.sendActivity(m.notBooked);
      return step.endDialog();
    }
    return this.book(step, draft);
  }

  private async book(step: WaterfallStepContext, draft: BookingDraft): Promise<DialogTurnResult> {
    const info = turnInfo(step.context);
    const { core } = this.deps;
    const held = await core.bookings.hold({
      facilityId: draft.facilityId ?? '',
      window: { from: new Date(draft.start ?? 0), to: new Date(draft.end ?? 0) },
      kind: draft.kind ?? 'standard',
      plate: draft.plate ?? '',
      driverId: info.driver.id,
    });
    if (!held.ok)
      return this.retryAfterRefusal(step, draft, held.error.code, refusalText(step.context, held.error));
    const booking = held.value.booking;
    await core.drivers.addPlate(info.driver.id, booking.plate);
    const facility = await this.deps.directory.get(booking.facilityId);
    // Held until paid: the Pay button, and the confirmation when the payment arrives.
    await offerPayment(
      step.context,
      this.deps,
      booking,
      facility ?? { name: draft.facilityName ?? '', timeZone: info.timeZone },
      true,
    );
    return step.endDialog(booking);
  }

  /** The car park is full for the window: the nearest one likely to have room, if any. */
  private async proposeAlternative(ctx: TurnContext, draft: BookingDraft): Promise<void> {
    const facility = await this.deps.directory.get(draft.facilityId ?? '');
    if (!facility || !draft.start || !draft.end) return;
    const { locale } = turnInfo(ctx);
    const asked = {
      from: new Date(draft.start),
      to: new Date(draft.end),
      kind: draft.kind ?? 'standard',
      locale,
    };
    const proposal = await this.advice.alternativeTo(facility, asked, say(ctx).bookHere);
    if (proposal) await ctx.sendActivity(proposal);
  }

  /** A refusal sends the driver back to the detail at fault rather than ending the conversation. */
  private async retryAfterRefusal(
    step: WaterfallStepContext,
    draft: BookingDraft,
    code: string,
    text: string,
  ) {
    await step.context.sendActivity(text);
    if (code === 'BOOKING.NO_SPACE_AVAILABLE') await this.proposeAlternative(step.context, draft);
    const without: Record<string, Partial<BookingDraft>> = {
      'BOOKING.IN_PAST': { start: undefined, end: undefined },
      'BOOKING.INVALID_WINDOW': { end: undefined },
      'BOOKING.TOO_LONG': { end: undefined },
      'BOOKING.OUTSIDE_OPENING_HOURS': { start: undefined, end: undefined },
      'BOOKING.NO_SPACE_AVAILABLE': { facilityId: undefined, facilityName: undefined },
      'BOOKING.SPACE_TAKEN': {},
      'FACILITY.NOT_FOUND': { facilityId: undefined, facilityName: undefined },
    };
    const reset = without[code];
    if (!reset) return step.endDialog();
    return step.replaceDialog(MAIN, JSON.parse(JSON.stringify({ ...draft, ...reset })) as BookingDraft);
  }
}

const windowValue = (w: { start: Date; end: Date }) => `time:${w.start.toISOString()}|${w.end.toISOString()}`;
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const hasDetails = (e: Understood['entities']) =>
  Boolean(
    e.facility || e.place || e.time?.start || e.time?.end || e.durationMinutes || e.plate || e.spaceKind,
  );

const isFilled = (d: BookingDraft, c: Change) =>
  c === 'facility' ? Boolean(d.facilityId) : c === 'kind' ? Boolean(d.kind) : Boolean(d[c]);
