import type { Activity } from 'botbuilder';
import { attachmentSchema, type ChatAttachment } from '../../../bot/index.ts';
import type { Choice } from '../choices.ts';

/** What an activity offers, sorted by how WhatsApp shows it. */
export interface ActivityContent {
  readonly text: string;
  readonly cards: readonly ChatAttachment[];
  /** postBack buttons */
  readonly choices: readonly Choice[];
  /** openUrl actions (a payment page) */
  readonly links: ReadonlyArray<{ title: string; url: string }>;
  /** a requestLocation action (or the widget's `location:ask` button), with its title */
  readonly askLocation: string | null;
  readonly locale?: string;
}

const isLocationRequest = (type: string, value: string) =>
  type === 'requestLocation' || value === 'location:ask';

/** Reads a channel-neutral bot activity; card types this channel does not know are left out. */
export function readActivity(a: Partial<Activity>): ActivityContent {
  const choices: Choice[] = [];
  const links: Array<{ title: string; url: string }> = [];
  let askLocation: string | null = null;
  for (const action of a.suggestedActions?.actions ?? []) {
    const type = String(action.type ?? 'postBack');
    const value = String(action.value ?? action.title ?? '');
    const title = String(action.title ?? action.value ?? '');
    if (isLocationRequest(type, value)) askLocation = title;
    else if (type === 'openUrl') links.push({ title, url: value });
    else if (value) choices.push({ title, value });
  }
  const cards = (a.attachments ?? []).flatMap((x) => {
    const parsed = attachmentSchema.safeParse({ contentType: x.contentType, content: x.content });
    return parsed.success ? [parsed.data] : [];
  });
  return {
    text: (a.text ?? '').trim(),
    cards,
    choices,
    links,
    askLocation,
    ...(a.locale ? { locale: a.locale } : {}),
  };
}
