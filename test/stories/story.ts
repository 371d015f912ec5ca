import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const oneOrMany = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** What must be true of the driver's latest booking after a turn ("none": they have none). */
const bookingExpectation = z.union([
  z.literal('none'),
  z
    .object({
      facility: z.string(),
      kind: z.string(),
      /** "today", "tomorrow" or YYYY-MM-DD, in London time */
      day: z.string(),
      /** HH:mm, London time */
      from: z.string(),
      to: z.string(),
      status: z.string(),
      plate: z.string(),
    })
    .partial()
    .strict(),
]);

const expectation = z
  .object({
    /** the running flow after the turn: booking, cancel, extend, deleteData, or none */
    flow: z.string(),
    /** text each of the bot's replies together must contain (case and spacing ignored) */
    reply: oneOrMany,
    /** text they must not contain */
    notReply: oneOrMany,
    /** each must be a title or value of an offered button */
    buttons: oneOrMany,
    booking: bookingExpectation,
    /** a handoff to a person was requested in this conversation */
    handoff: z.boolean(),
  })
  .partial()
  .strict();

const turn = z.union([
  z.object({ say: z.string() }).extend(expectation.shape).strict(),
  z
    .object({
      /** a pressed button: its exact value ("confirm:yes"), or a word of its title ("Book it") */
      press: z.string(),
    })
    .extend(expectation.shape)
    .strict(),
]);

export const storySchema = z
  .object({
    story: z.string(),
    /** the clock for this story (UTC ISO); default Monday 3 June 2030, 09:00 in London */
    now: z.string().optional(),
    /** car parks (words of their names) whose every space was taken on weekdays 07:00–19:00 London for the 8 weeks before `now` */
    usuallyFull: oneOrMany.optional(),
    turns: z.array(turn).min(1),
  })
  .strict();

export type Story = z.infer<typeof storySchema>;
export type Turn = z.infer<typeof turn>;
export type Expectation = z.infer<typeof expectation>;

/** Every story in every YAML file of a folder, by file; a malformed story fails loudly with its file. */
export function loadStories(dir: string): Array<{ file: string; stories: Story[] }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const raw = parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      const parsed = z.array(storySchema).safeParse(raw);
      if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
      return { file, stories: parsed.data };
    });
}
