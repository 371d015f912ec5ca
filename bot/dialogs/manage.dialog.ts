import { cancelWithPolicy, extendAndOfferPayment, refundPolicyLine } from './payment.ts';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Actor, Booking, BookingError, Result } from '../../booking-core/index.ts';
import type { DialogDeps } from '../deps.ts';
import { formatMoney, formatWhen, formatWindow } from '../format.ts';
import { bookingCard, refusalText } from '../replies.ts';
import { button, parseValue, reply, say, turnInfo, vals } from '../turn.ts';
import { pickBooking, upcomingBookings } from './choose-booking.ts';

export const CANCEL_DIALOG = 'cancel';
export const EXTEND_DIALOG = 'extend';
const ANSWER = 'manage.answer';

export interface ManageOptions {
  readonly bookingId?: string;
  readonly reference?: string;
  /** ISO-8601 new end, for extend */
  readonly newEnd?: string;
  /** minutes to add, for extend */
  readonly addMinutes?: number;
}

const saidYes = (step: WaterfallStepContext) => {
  const { understood, value } = turnInfo(step.context);
  const pressed = parseValue(value);
  return pressed?.kind === 'confirm' ? pressed.payload === 'yes' : understood.intent === 'affirm';
};

/** Shared first steps: find the booking meant, asking when there are several. */
abstract class ManageBookingDialog extends ComponentDialog {
  protected constructor(
    id: string,
    protected readonly deps: DialogDeps,
    steps: Array<(step: WaterfallStepContext) => Promise<DialogTurnResult>>,
  ) {
    super(id);
    this.addDialog(new TextPrompt(ANSWER, async () => true));
    this.addDialog(
      new WaterfallDialog(`${id}.main`, [(s) => this.choose(s), (s) => this.chosen(s), ...steps]),
    );
    this.initialDialogId = `${id}.main`;
  }

  private async choose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = (step.options ?? {}) as ManageOptions;
    const candidates = await upcomingBookings(this.deps, step.context);
    if (!candidates.length) {
      await step.context.sendActivity(say(step.context).noBookings);
      return step.endDialog();
    }
    vals(step)['candidates'] = candidates.map((b) => b.id);
    const { booking, question } = await pickBooking(this.deps, step.context, candidates, o);
    if (booking) return step.next(booking.id);
    if (o.reference)
      await step.context.sendActivity(say(step.context).refusals['BOOKING.NOT_FOUND'] as string);
    return step.prompt(ANSWER, { prompt: question });
  }

  private async chosen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    let id =
      typeof step.result === 'string' &&
      vals(step)['candidates'] &&
      (vals(step)['candidates'] as string[]).includes(step.result)
        ? step.result
        : undefined;
    if (!id) {
      const candidates = await upcomingBookings(this.deps, step.context);
      const { booking } = await pickBooking(this.deps, step.context, candidates, {
        ...(turnInfo(step.context).understood.entities.bookingReference
          ? { reference: turnInfo(step.context).understood.entities.bookingReference }
          : {}),
      });
      id = booking?.id;
    }
    if (!id) {
      await step.context.sendActivity(say(step.context).kept);
      return step.endDialog();
    }
    const r = await this.deps.core.bookings.get(id, {
      kind: 'driver',
      driverId: turnInfo(step.context).driver.id,
    });
    if (!r.ok) {
      await step.context.sendActivity(refusalText(step.context, r.error));
      return step.endDialog();
    }
    vals(step)['booking'] = r.value.id;
    return step.next(r.value);
  }

  protected async current(step: WaterfallStepContext): Promise<Booking | null> {
    const r = await this.deps.core.bookings.get(String(vals(step)['booking']), {
      kind: 'driver',
      driverId: turnInfo(step.context).driver.id,
    });
    return r.ok ? r.value : null;
  }

  /**
   * The last step of a change: if the driver said yes, make it and show the booking card; if they
   * said no, or the change is refused, say so. Nothing changes without a yes.
   */
  protected async apply(
    step: WaterfallStepContext,
    change: (b: Booking, actor: Actor) => Promise<Result<Booking, BookingError>>,
    done: (b: Booking, timeZone: string) => string,
  ): Promise<DialogTurnResult> {
    const b = await this.current(step);
    if (!b || !saidYes(step)) {
      await step.context.sendActivity(say(step.context).kept);
      return step.endDialog();
    }
    const r = await change(b, { kind: 'driver', driverId: turnInfo(step.context).driver.id });
    if (!r.ok) {
      await step.context.sendActivity(refusalText(step.context, r.error));
      return step.endDialog();
    }
    const f = await this.deps.directory.get(b.facilityId);
    const timeZone = f?.timeZone ?? 'UTC';
    const card = bookingCard(step.context, r.value, f ?? { name: '', timeZone });
    await step.context.sendActivity(reply(done(r.value, timeZone), [], [card]));
    return step.endDialog(r.value);
  }

  protected ask = ANSWER;
}

/** "Cancel my booking": which one, are you sure, done. */
export class CancelDialog extends ManageBookingDialog {
  constructor(deps: DialogDeps) {
    super(CANCEL_DIALOG, deps, [(s) => this.confirm(s), (s) => this.finish(s)]);
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const b = step.result as Booking;
    const m = say(step.context);
    const { locale, now } = turnInfo(step.context);
    const f = await this.deps.directory.get(b.facilityId);
    const policy = await refundPolicyLine(step.context, this.deps, b);
    const text = [
      m.confirmCancel(b.reference, formatWindow(b.from, b.to, f?.timeZone ?? 'UTC', locale, now)),
      policy,
    ]
      .filter(Boolean)
      .join(' ');
    return step.prompt(this.ask, {
      prompt: reply(text, [button(m.yesCancel, 'confirm:yes'), button(m.keepIt, 'confirm:no')]),
    });
  }

  private finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.apply(
      step,
      (b, actor) => cancelWithPolicy(this.deps, b, actor),
      (b) => say(step.context).cancelled(b.reference),
    );
  }
}

/** "Give me two more hours": which booking, until when, at what price, done. */
export class ExtendDialog extends ManageBookingDialog {
  constructor(deps: DialogDeps) {
    super(EXTEND_DIALOG, deps, [(s) => this.askEnd(s), (s) => this.quote(s), (s) => this.finish(s)]);
  }

  private newEnd(step: WaterfallStepContext, b: Booking, options: ManageOptions): Date | null {
    const e = turnInfo(step.context).understood.entities;
    const pressed = parseValue(turnInfo(step.context).value);
    const add =
      pressed?.kind === 'duration' ? Number(pressed.payload) : (e.durationMinutes ?? options.addMinutes);
    const end =
      e.time?.end ??
      (e.time?.start && e.time.start > b.to ? e.time.start : undefined) ??
      (options.newEnd ? new Date(options.newEnd) : undefined);
    if (end) return end;
    return add ? new Date(b.to.getTime() + add * 60_000) : null;
  }

  private async askEnd(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const b = step.result as Booking;
    const end = this.newEnd(step, b, (step.options ?? {}) as ManageOptions);
    if (end) {
      vals(step)['end'] = end.toISOString();
      return step.next();
    }
    const m = say(step.context);
    const { locale, now } = turnInfo(step.context);
    const f = await this.deps.directory.get(b.facilityId);
    const text = m.askNewEnd(b.reference, formatWhen(b.to, f?.timeZone ?? 'UTC', locale, now));
    return step.prompt(this.ask, {
      prompt: reply(
        text,
        [1, 2].map((h) => button(`+${m.hours(h)}`, `duration:${h * 60}`)),
      ),
    });
  }

  private async quote(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const b = await this.current(step);
    if (!b) return step.endDialog();
    const known = vals(step)['end'];
    const end = typeof known === 'string' ? new Date(known) : this.newEnd(step, b, {});
    const m = say(step.context);
    if (!end) {
      await step.context.sendActivity(m.kept);
      return step.endDialog();
    }
    vals(step)['end'] = end.toISOString();
    const { locale, now } = turnInfo(step.context);
    const f = await this.deps.directory.get(b.facilityId);
    const q = await this.deps.core.facilities.quote(b.facilityId, { from: b.to, to: end }, b.spaceKind);
    if (!q.ok && q.error.code !== 'BOOKING.IN_PAST') {
      await step.context.sendActivity(refusalText(step.context, q.error));
      return step.endDialog();
    }
    const extra = q.ok ? formatMoney(q.value.totalMinor, q.value.currency, locale) : '';
    const text = m.confirmExtend(b.reference, formatWhen(end, f?.timeZone ?? 'UTC', locale, now), extra);
    return step.prompt(this.ask, {
      prompt: reply(text, [button(m.yesExtend, 'confirm:yes'), button(m.keepIt, 'confirm:no')]),
    });
  }

  private finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const end = new Date(String(vals(step)['end']));
    const { locale, now } = turnInfo(step.context);
    return this.apply(
      step,
      (b, actor) => extendAndOfferPayment(step.context, this.deps, b, end, actor),
      (b, timeZone) => say(step.context).extended(b.reference, formatWhen(b.to, timeZone, locale, now)),
    );
  }
}
