import express, { type Express, type Request, type Response } from 'express';
import {
  PayPalGateway,
  StripeGateway,
  TestCheckoutGateway,
  WebhookVerificationError,
  type BookingCoreOptions,
  type PaymentEvent,
  type PaymentGateway,
} from '../booking-core/index.ts';
import { notificationActivities } from '../bot/index.ts';
import type { Booking, Notification, NotificationSender } from '../booking-core/index.ts';
import { returnPage, testCheckoutPage } from './checkout-page.ts';
import { ConfigError, type Config } from './config.ts';
import { paymentRoutes } from './http/payments.routes.ts';
import type { PlatformContext, PlatformModule } from './module.ts';

/**
 * The payment providers the configuration turns on, in order of preference: Stripe, then PayPal
 * (used when Stripe cannot make a checkout). With neither, the embedded test checkout.
 */
export function paymentOptions(config: Config, publicUrl: () => string): BookingCoreOptions['payments'] {
  const problems: Array<{ variable: string; message: string }> = [];
  const pair = (a: keyof Config, b: keyof Config) => {
    if (config[a] && !config[b]) problems.push({ variable: b, message: `must be set with ${a}` });
  };
  pair('STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET');
  pair('PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET');
  pair('PAYPAL_CLIENT_SECRET', 'PAYPAL_CLIENT_ID');
  if (problems.length) throw new ConfigError(problems);

  const gateways: PaymentGateway[] = [];
  if (config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET) {
    gateways.push(
      new StripeGateway({
        secretKey: config.STRIPE_SECRET_KEY,
        webhookSecret: config.STRIPE_WEBHOOK_SECRET,
        ...(config.STRIPE_API_URL ? { apiUrl: config.STRIPE_API_URL } : {}),
      }),
    );
  }
  if (config.PAYPAL_CLIENT_ID && config.PAYPAL_CLIENT_SECRET) {
    gateways.push(
      new PayPalGateway({
        clientId: config.PAYPAL_CLIENT_ID,
        clientSecret: config.PAYPAL_CLIENT_SECRET,
        apiUrl: config.PAYPAL_API_URL,
        ...(config.PAYPAL_WEBHOOK_ID ? { webhookId: config.PAYPAL_WEBHOOK_ID } : {}),
      }),
    );
  }
  if (!gateways.length) gateways.push(new TestCheckoutGateway((id) => `${publicUrl()}/pay/${id}`));
  return {
    gateways,
    refundFullHours: config.REFUND_FULL_HOURS,
    returnUrls: (paymentId) => ({
      success: `${publicUrl()}/pay/return?payment=${paymentId}`,
      cancel: `${publicUrl()}/pay/return?payment=${paymentId}&cancelled=1`,
    }),
  };
}

const CHECKOUT_ID = /^[A-Za-z0-9_-]{8,80}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Payments at the edge: provider webhooks (`POST /webhooks/stripe`, `/webhooks/paypal`), the
 * return page, the embedded test checkout at `/pay/…`, and the operators' payment routes.
 */
export async function createPaymentsModule(ctx: PlatformContext): Promise<PlatformModule> {
  const { core, logger } = ctx;
  const payments = core.payments;
  const stripe = payments.gateway('stripe') as StripeGateway | undefined;
  const paypal = payments.gateway('paypal') as PayPalGateway | undefined;
  const testCheckout = payments.gateway('test');
  logger.info(
    { providers: payments.providers },
    testCheckout ? 'payments: the embedded TEST checkout (no money moves)' : 'payments ready',
  );

  const apply = async (event: PaymentEvent) => {
    const outcome = await payments.handleEvent(event);
    logger.info(
      { provider: event.provider, eventId: event.eventId, type: event.type, outcome },
      'payment event',
    );
    return outcome;
  };

  const webhook =
    (parse: (req: Request) => Promise<PaymentEvent>) =>
    async (req: Request, res: Response): Promise<void> => {
      if (!Buffer.isBuffer(req.body)) {
        res.status(400).json({ code: 'WEBHOOK.INVALID', message: 'expected a raw body' });
        return;
      }
      let event: PaymentEvent;
      try {
        event = await parse(req);
      } catch (e) {
        if (e instanceof WebhookVerificationError) {
          logger.warn({ path: req.path }, 'payment webhook refused: signature does not verify');
          res
            .status(400)
            .json({ code: 'WEBHOOK.SIGNATURE_INVALID', message: 'the signature does not verify' });
          return;
        }
        throw e;
      }
      try {
        res.json({ received: true, outcome: await apply(event) });
      } catch (e) {
        // 500: the provider delivers again later, and the event (forgotten) is handled then.
        logger.error({ err: e, eventId: event.eventId }, 'payment webhook failed');
        res.status(500).json({ code: 'INTERNAL', message: 'try again' });
      }
    };

  const raw = express.raw({ type: '*/*', limit: '512kb' });
  return {
    name: 'payments',
    routes: paymentRoutes(core),
    start: async () => {
      core.notifications.useSender(chatSender(ctx));
      core.notifications.start(NOTIFY_INTERVAL_MS);
    },
    stop: () => core.notifications.stop(),
    mount(app: Express) {
      if (stripe) {
        app.post(
          '/webhooks/stripe',
          raw,
          webhook((req) => stripe.parseWebhook(req.body as Buffer, req.get('stripe-signature'))),
        );
      }
      if (paypal) {
        app.post(
          '/webhooks/paypal',
          raw,
          webhook((req) =>
            paypal.parseWebhook(req.body as Buffer, req.headers as Record<string, string | undefined>),
          ),
        );
      }
      app.get('/pay/return', async (req, res) => {
        const id = typeof req.query['payment'] === 'string' ? req.query['payment'] : '';
        const cancelled = req.query['cancelled'] === '1';
        let p = UUID.test(id) ? await payments.get(id) : null;
        const gateway = p ? payments.gateway(p.provider) : undefined;
        if (p && !cancelled && p.status === 'pending' && p.providerCheckoutId && gateway?.completeReturn) {
          const paymentId = p.id;
          try {
            const event = await gateway.completeReturn(p.providerCheckoutId);
            if (event) await apply(event);
            p = await payments.get(paymentId);
          } catch (e) {
            logger.error({ err: e, paymentId }, 'completing a returned payment failed');
          }
        }
        res
          .status(p ? 200 : 404)
          .type('html')
          .send(returnPage(p, cancelled));
      });
      if (!testCheckout) return;
      const load = async (checkoutId: string) => {
        if (!CHECKOUT_ID.test(checkoutId)) return null;
        const p = await payments.byCheckout('test', checkoutId);
        const b = p ? await core.bookings.get(p.bookingId, { kind: 'system' }) : null;
        return p && b?.ok ? { p, b: b.value, f: await core.facilities.get(b.value.facilityId) } : null;
      };
      app.get('/pay/:checkoutId', async (req, res) => {
        const found = await load(req.params.checkoutId);
        if (!found) {
          res.status(404).type('html').send(returnPage(null, false));
          return;
        }
        res
          .setHeader('Cache-Control', 'no-store')
          .type('html')
          .send(testCheckoutPage(found.p, found.b, found.f, `/pay/${req.params.checkoutId}`));
      });
      for (const [action, event] of [
        ['pay', TestCheckoutGateway.paid],
        ['cancel', TestCheckoutGateway.cancelled],
      ] as const) {
        app.post(`/pay/:checkoutId/${action}`, async (req, res) => {
          const id = req.params.checkoutId;
          if (!(await load(id))) {
            res.status(404).type('html').send(returnPage(null, false));
            return;
          }
          await apply(event(id));
          res.redirect(303, `/pay/${id}`);
        });
      }
    },
  };
}

const NOTIFY_INTERVAL_MS = 5_000;

/** Is the booking's space free for `minutes` after its end (for "Extend 1 hour")? */
async function freeAfter(ctx: PlatformContext, b: Booking, minutes: number): Promise<boolean> {
  const to = new Date(b.to.getTime() + minutes * 60_000);
  const r = await ctx.core.facilities.availability(b.facilityId, { from: b.to, to }, b.spaceKind);
  return r.ok && r.value.spaces.some((s) => s.id === b.spaceId);
}

/**
 * Booking notifications go out on the driver's own conversation through the runtime's `deliver`
 * (whichever channel and instance): rendered by the bot in the driver's language.
 */
function chatSender(ctx: PlatformContext): NotificationSender {
  const { core } = ctx;
  return {
    async send(n: Notification, b: Booking, address: string | null) {
      if (!address) return 'undeliverable';
      const facility = await core.facilities.get(b.facilityId);
      if (!facility) return 'undeliverable';
      const driver = b.driverId ? await core.drivers.get(b.driverId) : null;
      const locale = driver?.preferredLanguage?.toLowerCase().startsWith('es') ? 'es' : 'en';
      const extendable = n.kind === 'ends_soon' && (await freeAfter(ctx, b, 60));
      const activities = notificationActivities(n, {
        booking: b,
        facility,
        locale,
        now: new Date(),
        extendable,
      });
      const r = await ctx.runtime.get().deliver({ id: address }, activities, { role: 'system' });
      if (r.delivered) return 'sent';
      return r.reason === 'retryable' ? 'retry' : 'undeliverable';
    },
  };
}
