import { z } from 'zod';

/** Names of pre-approved message templates for messages sent outside the 24-hour window. */
export const whatsAppTemplatesSchema = z.object({
  /** any proactive message (reminders, payment confirmations); one body variable {{1}} carries the text */
  notice: z.string().min(1).optional(),
  /** an agent's late reply; falls back to `notice` */
  agent: z.string().min(1).optional(),
});

/** The WhatsApp Cloud API channel's settings (the app maps environment variables onto them). */
export const whatsAppConfigSchema = z.object({
  /** a system user's permanent access token for the Graph API */
  token: z.string().min(1),
  /** the business phone number's id (not the number itself) */
  phoneNumberId: z.string().regex(/^\d+$/, 'must be the numeric phone number id'),
  /** the Meta app's secret: signs every webhook delivery (X-Hub-Signature-256) */
  appSecret: z.string().min(1),
  /** the token typed into Meta's webhook settings, echoed back in the verification handshake */
  verifyToken: z.string().min(1),
  /** the Graph API base including its version, e.g. https://graph.facebook.com/v23.0 */
  graphUrl: z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL')
    .transform((v) => v.replace(/\/+$/, ''))
    .default('https://graph.facebook.com/v23.0'),
  templates: whatsAppTemplatesSchema.default({}),
  /** template language when the driver's is unknown */
  templateLanguage: z.string().min(2).default('en'),
  /** first wait after a rate-limit answer; doubles on each retry */
  retryBaseMs: z.number().int().min(0).default(1000),
  /** attempts per message before giving up on a rate limit or a server error */
  maxAttempts: z.number().int().min(1).max(10).default(4),
});

export type WhatsAppConfig = z.infer<typeof whatsAppConfigSchema>;
export type WhatsAppTemplates = z.infer<typeof whatsAppTemplatesSchema>;
