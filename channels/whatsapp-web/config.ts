import { z } from 'zod';

/** The whatsapp-web.js channel's settings (the app maps environment variables onto them). */
export const whatsAppWebConfigSchema = z.object({
  /** where LocalAuth keeps the linked phone's session (shared storage when several instances may run it) */
  sessionDir: z.string().min(1),
  /** Debian's Chromium; the install never downloads a browser */
  chromiumPath: z.string().min(1).default('/usr/bin/chromium'),
  /** the Redis lease that makes exactly one instance run the session */
  leaseKey: z.string().min(1).default('whatsapp-web:session'),
  leaseTtlMs: z.number().int().min(1000).default(30_000),
  /** first wait before trying again after a failed start or a lost connection; doubles up to `retryMaxMs` */
  retryBaseMs: z.number().int().min(0).default(5_000),
  retryMaxMs: z.number().int().min(0).default(300_000),
});

export type WhatsAppWebConfig = z.infer<typeof whatsAppWebConfigSchema>;
