import { SpanKind, SpanStatusCode, trace, type Attributes, type Link, type Span } from '@opentelemetry/api';
import type { BookingCore } from '../booking-core/index.ts';
import type { Understanding } from '../bot/index.ts';
import type { InboundMessage } from '../channels/index.ts';
import { addToLogContext, logContext, withLogContext } from './log-context.ts';

// Through @opentelemetry/api only: until tracing.ts registers the SDK (it does only when
// OTEL_EXPORTER_OTLP_ENDPOINT is set) every span here is a non-recording no-op.
const tracer = trace.getTracer('smart-parking-platform');

/**
 * Runs `fn` in a new active span, a child of the current one unless `options.root`; a throw marks
 * the span failed and propagates. Never put message text, plates or secrets in attributes.
 *
 *   await inSpan('nlu.classify', { 'nlu.locale': 'en' }, (span) => classify(text));
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: { kind?: SpanKind; root?: boolean; links?: Link[] } = {},
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes, ...options }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  });
}

/**
 * Each inbound chat message starts its own trace (`chat.message`, linked to the webhook request
 * that brought it, if any) and a log context naming its channel and conversation — and the
 * booking, once one is made — so every span and log line of the turn can be found by them.
 */
export function traceInbound(runtime: { handle(m: InboundMessage): Promise<void> }): void {
  const handle = runtime.handle.bind(runtime);
  runtime.handle = (m) => {
    const carrier = trace.getActiveSpan()?.spanContext();
    const attributes = {
      'chat.channel': m.channel,
      'chat.conversation_id': m.conversationId,
      'chat.input': m.value !== undefined ? 'button' : 'text',
    };
    return withLogContext({ channel: m.channel, conversationId: m.conversationId }, () =>
      inSpan(
        'chat.message',
        attributes,
        async (span) => {
          await handle(m);
          const { bookingId } = logContext();
          if (bookingId) span.setAttribute('booking.id', bookingId);
        },
        { kind: SpanKind.SERVER, root: true, ...(carrier ? { links: [{ context: carrier }] } : {}) },
      ),
    );
  };
}

/** The dialogue's part of a turn (`dialogue.turn`), after the middleware. */
export const tracedBot = <C>(bot: { run(ctx: C): Promise<void> }): { run(ctx: C): Promise<void> } => ({
  run: (ctx) => inSpan('dialogue.turn', {}, () => bot.run(ctx)),
});

/** Classification spans (`nlu.classify`) with what was understood — never the text. */
export const tracedUnderstanding = (u: Understanding): Understanding => ({
  setFacilities: (facilities) => u.setFacilities(facilities),
  classify: (text, options) =>
    inSpan('nlu.classify', {}, async (span) => {
      const r = await u.classify(text, options);
      span.setAttributes({ 'nlu.intent': r.intent, 'nlu.score': r.score, 'nlu.locale': r.locale });
      return r;
    }),
});

type Describe = (...args: never[]) => Attributes;
const facility = (facilityId: string): Attributes => ({ 'facility.id': facilityId });
const booking = (bookingId: string): Attributes => ({ 'booking.id': bookingId });

/**
 * booking-core's operations as spans (`bookings.hold`, `facilities.quote`…), whoever calls them —
 * a chat turn or a REST request — with the facility or booking they are about and the refusal's
 * code (`booking.outcome`). The booking id joins the current log context.
 */
export function traceBookingCore(core: BookingCore): void {
  traceMethods(core.facilities, 'facilities', {
    list: () => ({}),
    availability: facility,
    quote: facility,
  });
  traceMethods(core.bookings, 'bookings', {
    hold: (r: { facilityId: string }) => facility(r.facilityId),
    confirm: booking,
    cancel: booking,
    extend: booking,
    get: booking,
  });
  traceMethods(core.payments, 'payments', {
    checkout: booking,
    extend: booking,
    cancel: booking,
    refund: booking,
    handleEvent: (e: { provider: string; kind: string }) => ({
      'payment.provider': e.provider,
      'payment.event': e.kind,
    }),
  });
}

/** Replaces `service`'s methods named in `methods` by traced ones, named `${prefix}.${method}`. */
function traceMethods(service: object, prefix: string, methods: Record<string, Describe>): void {
  const target = service as Record<string, (...args: never[]) => Promise<unknown>>;
  for (const [name, describe] of Object.entries(methods)) {
    const original = target[name]!.bind(service);
    target[name] = (...args) => {
      const attributes = describe(...args);
      return inSpan(`${prefix}.${name}`, attributes, async (span) => {
        const result = await original(...args);
        const bookingId = noteOutcome(span, result) ?? attributes['booking.id'];
        if (typeof bookingId === 'string') addToLogContext({ bookingId });
        return result;
      });
    };
  }
}

/** A Result's outcome (`ok` or its code) on the span; returns the booking it made, if any. */
function noteOutcome(span: Span, result: unknown): string | undefined {
  if (!result || typeof result !== 'object' || !('ok' in result)) return undefined;
  const r = result as { ok: boolean; error?: { code: string }; value?: { booking?: { id: string } } };
  span.setAttribute('booking.outcome', r.ok ? 'ok' : (r.error?.code ?? 'refused'));
  const made = r.ok ? r.value?.booking?.id : undefined;
  if (made) span.setAttribute('booking.id', made);
  return made;
}
