import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestPlatform, type RunningPlatform } from './platform.ts';
import { TelegramApiStandIn, type SentMessage, type StandInDriver } from './telegram-api.ts';
import type { DatabaseKind } from '../../booking-core/index.ts';

export interface TelegramPlatform {
  tg: TelegramApiStandIn;
  p: RunningPlatform;
  /** the webhook secret in webhook mode */
  secret?: string;
  /** the Telegram driver's bookings, newest first */
  bookingsOf(
    d: StandInDriver,
  ): Promise<Array<{ status: string; plate: string; facility: string; endsAt: Date; reference: string }>>;
  /**
   * Does something as the driver and waits for the bot's reply: the first new message that
   * satisfies `until` (any new message by default). Returns every message sent since.
   */
  turn(
    d: StandInDriver,
    act: () => Promise<unknown>,
    until?: (m: SentMessage) => boolean,
  ): Promise<SentMessage[]>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the webhook URL must name the platform's port before it starts). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const hasButton = (data: string | RegExp) => (m: SentMessage) =>
  (m.reply_markup?.inline_keyboard ?? [])
    .flat()
    .some(
      (b) =>
        b.callback_data !== undefined &&
        (typeof data === 'string' ? b.callback_data === data : data.test(b.callback_data)),
    );

/** The URL behind a message's inline link button whose label matches `label` (e.g. /^Pay /). */
export const urlButton = (m: SentMessage, label: RegExp): string | undefined =>
  (m.reply_markup?.inline_keyboard ?? []).flat().find((b) => b.url !== undefined && label.test(b.text))?.url;

/**
 * The whole platform with its Telegram channel pointed at a stand-in Bot API: long polling, or a
 * webhook on the platform's own port with a known secret.
 */
export async function startTelegramPlatform(
  mode: 'polling' | 'webhook',
  kind: DatabaseKind,
  env: Record<string, string> = {},
): Promise<TelegramPlatform> {
  const tg = await TelegramApiStandIn.start();
  const secret = mode === 'webhook' ? `s3cret_${Math.random().toString(36).slice(2)}` : undefined;
  const port = mode === 'webhook' ? await freePort() : 0;
  const p = await startTestPlatform(kind, {
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.url,
    ...(mode === 'webhook'
      ? {
          PORT: String(port),
          TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}`,
          TELEGRAM_WEBHOOK_SECRET: secret!,
        }
      : {}),
    ...env,
  });
  // connected: the webhook registered, or the first long poll under way
  await tg.until(
    () => (mode === 'webhook' ? tg.webhook : tg.callsOf('deleteWebhook').length > 0),
    'the bot to connect',
  );
  return {
    tg,
    p,
    ...(secret ? { secret } : {}),
    async bookingsOf(d) {
      const identity = await p.db.prisma.channelIdentity.findUnique({
        where: { channel_externalId: { channel: 'telegram', externalId: String(d.user.id) } },
      });
      if (!identity) return [];
      const rows = await p.db.prisma.booking.findMany({
        where: { driverId: identity.driverId },
        include: { facility: true },
        orderBy: { createdAt: 'desc' },
      });
      return rows.map((b) => ({
        status: b.status,
        plate: b.plate,
        facility: b.facility.name,
        endsAt: b.endsAt,
        reference: b.reference,
      }));
    },
    async turn(d, act, until = () => true) {
      const before = tg.sentTo(d.chatId).length;
      await act();
      await tg.until(() => tg.sentTo(d.chatId).slice(before).some(until), 'the bot to answer');
      // the rest of the turn's replies (a turn's replies go out together, one after another)
      let count = -1;
      while (count !== tg.sentTo(d.chatId).length) {
        count = tg.sentTo(d.chatId).length;
        await new Promise((r) => setTimeout(r, 250));
      }
      return tg.sentTo(d.chatId).slice(before);
    },
    async stop() {
      await p.stop();
      await tg.stop();
    },
  };
}
