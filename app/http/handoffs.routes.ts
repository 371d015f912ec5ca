import { z } from 'zod';
import type { Booking } from '../../booking-core/index.ts';
import {
  can,
  handoffDetailItem,
  handoffItem,
  HANDOFF_STATUSES,
  transcriptItem,
  type Accounts,
  type Agent,
  type DeskRefusal,
  type DeskResult,
  type HandoffDesk,
} from '../../support/index.ts';
import { refusal } from './refusals.ts';
import { defineRoute, errorBody, type RouteReply } from './route.ts';
import { toBookingOut } from './schemas.ts';

const invalid = { description: 'Invalid request (field-level errors)', schema: errorBody };
const notFound = { description: 'No such handoff', schema: errorBody };
const conflict = {
  description: 'Another agent holds it, or it is not in a state for this',
  schema: errorBody,
};

const idParams = z.object({ id: z.uuid() });
const bookingParams = z.object({ id: z.uuid(), bookingId: z.uuid() });
/** With an API key, the agent acting (id or email); with a session, the signed-in agent. */
const agentRef = z.string().min(1).max(254).optional();

/** Where the route handler finds who is calling (set by the API-key or session check). */
type Locals = { res?: { locals: Record<string, unknown> } };
const sessionAgent = (req: Locals) => (req.res?.locals['agent'] as Agent | undefined) ?? null;

const DESK_STATUS: Record<string, number> = {
  'HANDOFF.NOT_FOUND': 404,
  'HANDOFF.TAKEN': 409,
  'HANDOFF.NOT_WAITING': 409,
  'HANDOFF.NOT_HELD': 409,
  'BOOKING.NOT_THE_DRIVERS': 404,
  'PAYMENTS.NOT_AVAILABLE': 501,
};

const deskRefusal = (e: DeskRefusal): RouteReply =>
  e.code in DESK_STATUS
    ? { status: DESK_STATUS[e.code]!, body: { code: e.code, message: e.message } }
    : refusal(e as Parameters<typeof refusal>[0]);

const fail = (status: number, code: string, message: string): RouteReply => ({
  status,
  body: { code, message },
});

/**
 * The handoff queue over REST (API key or a signed-in agent): list, read with transcript and
 * summary, claim, reply or note, hand back, close, and act on the driver's bookings.
 */
export function handoffRoutes(desk: HandoffDesk, accounts: Accounts) {
  /** The agent this request acts as: the session's, or with an API key the named one / the holder. */
  const actingAgent = async (
    req: Locals,
    named: string | undefined,
    handoffId: string,
  ): Promise<Agent | RouteReply> => {
    const own = sessionAgent(req);
    if (own)
      return can(own.role, 'handoffs')
        ? own
        : fail(403, 'AUTH.FORBIDDEN', 'your role cannot take conversations');
    let agent: Agent | null = null;
    if (named) {
      agent = named.includes('@') ? await accounts.byEmail(named) : await accounts.byId(named);
      if (!agent || agent.removedAt) return fail(400, 'REQUEST.INVALID', 'no such agent');
    } else {
      const h = await desk.get(handoffId);
      if (!h) return fail(404, 'HANDOFF.NOT_FOUND', 'no such handoff');
      if (!h.agent)
        return fail(400, 'REQUEST.INVALID', 'name the agent acting: { "agent": "<id or email>" }');
      agent = await accounts.byId(h.agent.id);
    }
    if (!agent || !can(agent.role, 'handoffs'))
      return fail(400, 'REQUEST.INVALID', 'that account cannot take conversations');
    return agent;
  };
  const act = async <T>(
    req: Locals,
    named: string | undefined,
    id: string,
    run: (agent: Agent) => Promise<DeskResult<T>>,
    out: (value: T) => unknown,
    status = 200,
  ): Promise<RouteReply> => {
    const agent = await actingAgent(req, named, id);
    if (!('id' in agent)) return agent;
    const r = await run(agent);
    return r.ok ? { status, body: out(r.value) } : deskRefusal(r.error);
  };
  const bookingOut = (b: Booking) => toBookingOut(b, 'UTC');

  return [
    defineRoute({
      method: 'get',
      path: '/handoffs',
      summary: 'Handoff requests: the queue (waiting), those held by agents (active), or closed ones',
      query: z.object({
        status: z.enum(HANDOFF_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
      responses: { 200: { description: 'Handoffs, oldest first (closed: newest first)' }, 400: invalid },
      handler: async ({ query }) => ({
        status: 200,
        body: { handoffs: (await desk.list({ ...query })).map(handoffItem) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs',
      summary: 'Queue a conversation for a person (integrations; the bot does this when a driver asks)',
      body: z
        .object({
          conversationId: z.uuid(),
          reason: z.string().trim().min(1).max(500).optional(),
          summary: z.string().trim().min(1).max(4000).optional(),
        })
        .strict(),
      responses: {
        201: { description: 'Queued (or the open request the conversation already has)' },
        404: { description: 'No such conversation', schema: errorBody },
      },
      handler: async ({ body }) => {
        const h = await desk.request(body.conversationId, body.reason ?? null, body.summary ?? null);
        return h
          ? { status: 201, body: handoffItem(h) }
          : fail(404, 'CONVERSATION.NOT_FOUND', 'no such conversation');
      },
    }),
    defineRoute({
      method: 'get',
      path: '/handoffs/:id',
      summary:
        "One handoff with the whole transcript, the bot's summary, internal notes and the driver's bookings",
      params: idParams,
      responses: { 200: { description: 'The handoff in detail' }, 404: notFound },
      handler: async ({ params }) => {
        const d = await desk.detail(params.id);
        return d
          ? { status: 200, body: handoffDetailItem(d) }
          : fail(404, 'HANDOFF.NOT_FOUND', 'no such handoff');
      },
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs/:id/claim',
      summary: 'Take a waiting conversation over; exactly one agent wins (409 when another holds it)',
      params: idParams,
      body: z.object({ agent: agentRef }).strict(),
      responses: { 200: { description: 'Claimed (or already yours)' }, 404: notFound, 409: conflict },
      handler: async ({ params, body, req }) => {
        const agent = await actingAgent(req, body.agent, params.id);
        if (!('id' in agent)) return agent;
        const r = await desk.claim(params.id, agent);
        return r.ok ? { status: 200, body: handoffItem(r.value) } : deskRefusal(r.error);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs/:id/messages',
      summary:
        'Reply to the driver on their own channel, or add an internal note (`internal: true`) agents only see',
      params: idParams,
      body: z
        .object({
          text: z.string().trim().min(1).max(4000),
          internal: z.boolean().default(false),
          agent: agentRef,
        })
        .strict(),
      responses: { 201: { description: 'Sent (or noted)' }, 404: notFound, 409: conflict },
      handler: ({ params, body, req }) =>
        act(
          req,
          body.agent,
          params.id,
          (a) => desk.message(params.id, a, body.text, body.internal),
          transcriptItem,
          201,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs/:id/release',
      summary: 'Hand the conversation back to the bot',
      params: idParams,
      body: z.object({ agent: agentRef }).strict(),
      responses: { 200: { description: 'Back with the bot' }, 404: notFound, 409: conflict },
      handler: ({ params, body, req }) =>
        act(req, body.agent, params.id, (a) => desk.release(params.id, a), handoffItem),
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs/:id/close',
      summary: 'Close with a resolution; the driver is asked to rate the conversation',
      params: idParams,
      body: z.object({ resolution: z.string().trim().min(1).max(1000), agent: agentRef }).strict(),
      responses: { 200: { description: 'Closed' }, 404: notFound, 409: conflict },
      handler: ({ params, body, req }) =>
        act(req, body.agent, params.id, (a) => desk.close(params.id, a, body.resolution), handoffItem),
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs/:id/bookings/:bookingId/cancel',
      summary: "Cancel one of the driver's bookings (audited with the agent's id)",
      params: bookingParams,
      body: z.object({ reason: z.string().max(500).optional(), agent: agentRef }).strict(),
      responses: { 200: { description: 'Cancelled' }, 404: notFound, 409: conflict },
      handler: ({ params, body, req }) =>
        act(
          req,
          body.agent,
          params.id,
          (a) => desk.cancelBooking(params.id, a, params.bookingId, body.reason ?? null),
          bookingOut,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs/:id/bookings/:bookingId/extend',
      summary: "Extend one of the driver's bookings to a later end (audited with the agent's id)",
      params: bookingParams,
      body: z
        .object({ to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)), agent: agentRef })
        .strict(),
      responses: { 200: { description: 'Extended' }, 404: notFound, 409: conflict },
      handler: ({ params, body, req }) =>
        act(
          req,
          body.agent,
          params.id,
          (a) => desk.extendBooking(params.id, a, params.bookingId, body.to),
          bookingOut,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/handoffs/:id/bookings/:bookingId/refund',
      summary: "Refund one of the driver's bookings (501 until a payment provider is configured)",
      params: bookingParams,
      body: z.object({ reason: z.string().max(500).optional(), agent: agentRef }).strict(),
      responses: {
        200: { description: 'Refunded' },
        404: notFound,
        501: { description: 'No payments yet', schema: errorBody },
      },
      handler: ({ params, body, req }) =>
        act(
          req,
          body.agent,
          params.id,
          (a) => desk.refundBooking(params.id, a, params.bookingId, body.reason ?? null),
          bookingOut,
        ),
    }),
  ];
}
