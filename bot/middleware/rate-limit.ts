import type { Middleware, TurnContext } from 'botbuilder';
import { ActivityTypes } from 'botbuilder';
import { messages } from '../messages/index.ts';
import type { Locale, RateLimiter } from '../ports.ts';
import { REPLAYED_TURN } from '../turn.ts';

/**
 * Limits each sender to `perMinute` messages. The first message over the limit gets one polite
 * notice; the rest of that minute is dropped quietly (no reply storm, no crash).
 */
export class RateLimitMiddleware implements Middleware {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly perMinute: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async onTurn(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    if (ctx.activity.type !== ActivityTypes.Message || ctx.turnState.get(REPLAYED_TURN)) return next();
    const key = `${ctx.activity.channelId}:${ctx.activity.from?.id ?? 'anonymous'}`;
    const { count } = await this.limiter.hit(key, this.clock());
    if (count <= this.perMinute) return next();
    if (count === this.perMinute + 1) {
      const locale: Locale = ctx.activity.locale?.startsWith('es') ? 'es' : 'en';
      await ctx.sendActivity(messages(locale).rateLimited);
    }
  }
}
