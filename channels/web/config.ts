import { z } from 'zod';

/** The web chat channel's settings (the app maps environment variables onto them). */
export const webChatConfigSchema = z.object({
  /** origins allowed to embed the widget, besides the platform's own; '*' allows any */
  origins: z.array(z.string()).default([]),
  /** HMAC key that signs session tokens; every instance must share it */
  tokenSecret: z.string().min(32, 'must be at least 32 characters'),
  /** how long a session token stays valid, in days */
  sessionDays: z.number().int().min(1).max(365).default(30),
  /** messages restored into the widget on reconnect */
  historyLimit: z.number().int().min(0).max(200).default(50),
});

export type WebChatConfig = z.infer<typeof webChatConfigSchema>;
