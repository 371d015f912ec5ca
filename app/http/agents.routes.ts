import { z } from 'zod';
import { newAgentSchema, type Accounts, type Agent } from '../../support/index.ts';
import { defineRoute, errorBody } from './route.ts';

const agentOut = (a: Agent) => ({
  id: a.id,
  email: a.email,
  displayName: a.displayName,
  role: a.role,
  password: a.hasPassword,
  singleSignOn: a.sso,
  removedAt: a.removedAt?.toISOString() ?? null,
  createdAt: a.createdAt.toISOString(),
});

type Locals = { res?: { locals: Record<string, unknown> } };
const caller = (req: Locals) => (req.res?.locals['agent'] as Agent | undefined) ?? null;

/** Accounts of agents, admins and operators (admins, or an API key). */
export function agentRoutes(accounts: Accounts) {
  return [
    defineRoute({
      method: 'get',
      path: '/agents',
      summary: 'Every account, removed ones included (they keep their place in the audit log)',
      responses: { 200: { description: 'Accounts' } },
      handler: async () => ({ status: 200, body: { agents: (await accounts.list()).map(agentOut) } }),
    }),
    defineRoute({
      method: 'post',
      path: '/agents',
      summary: 'Add an account (a password of 12+ characters, or none for single sign-on only)',
      body: newAgentSchema.strict(),
      responses: {
        201: { description: 'Added' },
        400: { description: 'Invalid request', schema: errorBody },
        409: { description: 'The email is taken', schema: errorBody },
      },
      handler: async ({ body, req }) => {
        const a = await accounts.add(caller(req), body);
        return a
          ? { status: 201, body: agentOut(a) }
          : {
              status: 409,
              body: { code: 'AGENT.EMAIL_TAKEN', message: 'an account with that email exists' },
            };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/agents/:id/remove',
      summary: 'Remove an account: it cannot sign in any more and its sessions end',
      params: z.object({ id: z.uuid() }),
      responses: {
        200: { description: 'Removed' },
        404: { description: 'No such account', schema: errorBody },
      },
      handler: async ({ params, req }) => {
        const r = await accounts.remove(caller(req), params.id);
        if (r === 'self')
          return { status: 409, body: { code: 'AGENT.SELF', message: 'you cannot remove your own account' } };
        if (r === 'not-found')
          return { status: 404, body: { code: 'AGENT.NOT_FOUND', message: 'no such account' } };
        return { status: 200, body: { removed: params.id } };
      },
    }),
  ];
}
