import type { Middleware, TurnContext } from 'botbuilder';
import type { DriverRepository } from '../../booking-core/index.ts';
import { DRIVER } from '../turn.ts';

/**
 * Finds (or creates) the driver behind the channel identity of every incoming message, so one
 * person is one driver record across their conversations.
 */
export class IdentityMiddleware implements Middleware {
  constructor(private readonly drivers: DriverRepository) {}

  async onTurn(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    const from = ctx.activity.from;
    if (from?.id) {
      const driver = await this.drivers.findOrCreateByIdentity(ctx.activity.channelId, from.id, {
        name: from.name ?? null,
        preferredLanguage: ctx.activity.locale?.slice(0, 2) ?? null,
        // a number the channel vouches for (WhatsApp's wa_id), which the runtime puts here
        phone: (from.properties as { phone?: string } | undefined)?.phone ?? null,
      });
      ctx.turnState.set(DRIVER, driver);
    }
    await next();
  }
}
