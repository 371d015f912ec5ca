import type { Activity } from 'botbuilder';
import { LOCATION_REQUEST, actionsOf, attachmentSchema, type ChatAttachment } from '../../../bot/index.ts';
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

/** Reads a channel-neutral bot activity; card types this channel does not know are left out. */
export function readActivity(a: Partial<Activity>): ActivityContent {
  const choices: Choice[] = [];
  const links: Array<{ title: string; url: string }> = [];
  let askLocation: string | null = null;
  for (const action of actionsOf(a as Parameters<typeof actionsOf>[0])) {
    if (action.type === 'requestLocation') askLocation = action.title;
    else if (action.type === 'openUrl') links.push({ title: action.title, url: action.url });
    // a postBack of the widget's location value asks for the position too
    else if (action.value === LOCATION_REQUEST) askLocation = action.title;
    else choices.push({ title: action.title, value: action.value });
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
