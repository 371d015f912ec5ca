import type { Redis } from 'ioredis';

/** A choice offered to the driver: its title as shown, and the postBack value it stands for. */
export interface Choice {
  readonly title: string;
  readonly value: string;
}

/**
 * The choices last offered in each conversation, so a typed "2" picks the second one even on
 * another instance. Offering nothing clears them: a later "2" then means two (hours, spaces…).
 */
export interface ChoiceMemory {
  remember(conversationId: string, choices: readonly Choice[]): Promise<void>;
  recall(conversationId: string): Promise<Choice[]>;
}

const DAY_MS = 24 * 3_600_000;

/** In-process memory (one instance); entries lapse after a day, at most `limit` conversations kept. */
export class MemoryChoiceMemory implements ChoiceMemory {
  private readonly map = new Map<string, { choices: Choice[]; until: number }>();
  constructor(
    private readonly ttlMs = DAY_MS,
    private readonly limit = 50_000,
  ) {}

  async remember(conversationId: string, choices: readonly Choice[]): Promise<void> {
    this.map.delete(conversationId);
    if (!choices.length) return;
    this.map.set(conversationId, { choices: [...choices], until: Date.now() + this.ttlMs });
    // Map keeps insertion order: the first key is the least recently offered
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }

  async recall(conversationId: string): Promise<Choice[]> {
    const entry = this.map.get(conversationId);
    return entry && entry.until > Date.now() ? entry.choices : [];
  }
}

/** Shared by every instance through Redis. */
export class RedisChoiceMemory implements ChoiceMemory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'choices:',
    private readonly ttlMs = DAY_MS,
  ) {}

  async remember(conversationId: string, choices: readonly Choice[]): Promise<void> {
    const key = this.prefix + conversationId;
    if (!choices.length) await this.redis.del(key);
    else await this.redis.set(key, JSON.stringify(choices), 'PX', this.ttlMs);
  }

  async recall(conversationId: string): Promise<Choice[]> {
    const raw = await this.redis.get(this.prefix + conversationId);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as Choice[]) : [];
    } catch {
      return [];
    }
  }
}

const normalise = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The choice a typed answer picks: a number ("2", "2.", "#2") by position, and with `byWords` the
 * choice's own words ("king's cross" for "King's Cross (12 free)"). Null when it picks none or
 * could mean several — then the text goes to the bot as typed.
 *
 *   pickChoice('2', [{ title: 'Yes', value: 'confirm:yes' }, { title: 'No', value: 'confirm:no' }]) // No
 */
export function pickChoice(text: string, choices: readonly Choice[], byWords = false): Choice | null {
  if (!choices.length) return null;
  const number = /^\s*#?\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  if (number) return choices[Number(number[1]) - 1] ?? null;
  if (!byWords) return null;
  const said = normalise(text);
  if (said.length < 2) return null;
  const titles = choices.map((c) => normalise(c.title));
  const exact = choices.filter((_, i) => titles[i] === said);
  if (exact.length === 1) return exact[0]!;
  // "kings cross" for "King's Cross Central" (the title's first words), or the title said with at
  // most one word more ("yes please"), never inside a longer sentence ("yes but at 3pm")
  const words = (s: string) => s.split(' ').length;
  const partial = choices.filter((_, i) => {
    const t = titles[i]!;
    if (said.length >= 4 && t.startsWith(said + ' ')) return true;
    return words(said) <= words(t) + 1 && ` ${said} `.includes(` ${t} `);
  });
  return partial.length === 1 ? partial[0]! : null;
}
