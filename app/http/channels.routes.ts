import { z } from 'zod';
import type { ChannelStatusRegistry } from '../../channels/index.ts';
import { defineRoute } from './route.ts';

const channelStatus = z.object({
  channel: z.string().meta({ example: 'whatsapp-web' }),
  enabled: z.boolean(),
  state: z.enum(['connected', 'connecting', 'disconnected', 'needs-qr', 'standby', 'disabled']),
  lastError: z.string().nullable(),
  messagesIn: z.int().meta({ description: "drivers' messages received by this instance since it started" }),
  messagesOut: z.int().meta({ description: 'messages this instance sent since it started' }),
  since: z.string(),
});

/** The order operators read them in; channels not listed follow. */
const ORDER = ['web', 'telegram', 'whatsapp', 'whatsapp-web'];

/** `GET /channels`: every messaging channel with its state, last error and message counts. */
export function channelRoutes(channels: ChannelStatusRegistry) {
  return [
    defineRoute({
      method: 'get',
      path: '/channels',
      summary: 'Messaging channels (web, Telegram, WhatsApp Cloud API, WhatsApp Web): state and counts',
      responses: {
        200: { description: 'Every channel', schema: z.object({ channels: z.array(channelStatus) }) },
      },
      handler: async () => {
        const known = new Map(channels.list().map((c) => [c.channel, c]));
        for (const name of ORDER) if (!known.has(name)) channels.report(name, {});
        const rank = (c: string) => (ORDER.includes(c) ? ORDER.indexOf(c) : ORDER.length);
        const list = channels.list().sort((a, b) => rank(a.channel) - rank(b.channel));
        return { status: 200, body: { channels: list } };
      },
    }),
  ];
}
