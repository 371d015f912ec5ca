import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { DialogDeps } from '../deps.ts';
import { button, ERASED, parseValue, reply, say, turnInfo } from '../turn.ts';
import { upcomingBookings } from './choose-booking.ts';

export const DELETE_DATA_DIALOG = 'deleteData';
const CONFIRM = 'deleteData.confirm';

/**
 * "Delete my data": confirm, then cancel upcoming bookings, erase conversations and personal data.
 * Past bookings stay for the operator's books, without the driver or plate.
 */
export class DeleteDataDialog extends ComponentDialog {
  constructor(
    private readonly deps: DialogDeps,
    /** clears the driver's bot state (user and conversation) after erasure */
    private readonly forgetState: (ctx: WaterfallStepContext['context']) => Promise<void>,
  ) {
    super(DELETE_DATA_DIALOG);
    this.addDialog(new TextPrompt(CONFIRM, async () => true));
    this.addDialog(
      new WaterfallDialog(`${DELETE_DATA_DIALOG}.main`, [(s) => this.ask(s), (s) => this.erase(s)]),
    );
    this.initialDialogId = `${DELETE_DATA_DIALOG}.main`;
  }

  private ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = say(step.context);
    return step.prompt(CONFIRM, {
      prompt: reply(m.confirmDelete, [button(m.yesDelete, 'confirm:yes'), button(m.noKeep, 'confirm:no')]),
    });
  }

  private async erase(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { understood, value, driver } = turnInfo(step.context);
    const m = say(step.context);
    const pressed = parseValue(value);
    const yes = pressed?.kind === 'confirm' ? pressed.payload === 'yes' : understood.intent === 'affirm';
    if (!yes) {
      await step.context.sendActivity(m.kept);
      return step.endDialog();
    }
    const actor = { kind: 'driver' as const, driverId: driver.id };
    for (const b of await upcomingBookings(this.deps, step.context, ['held', 'confirmed'])) {
      await this.deps.core.bookings.cancel(b.id, actor, 'driver erased their data');
    }
    await this.deps.conversations.eraseDriver(driver.id);
    await this.deps.core.drivers.erase(driver.id);
    // Nothing more about this driver is recorded this turn (the reply below included).
    step.context.turnState.set(ERASED, true);
    await step.context.sendActivity(m.deleted);
    const ended = await step.endDialog();
    await this.forgetState(step.context);
    return ended;
  }
}
