// Contract tests every ConversationStore passes (docs/conventions.md §5): imported by
// conversation-store.int.test.ts for the memory store and the Prisma store (PGlite, PostgreSQL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationKey, ConversationStore } from './conversation-store.ts';

export interface ConversationStoreUnderTest {
  readonly store: ConversationStore;
  /** a driver the store may refer to (a real row where the store needs one) */
  newDriver(): Promise<string>;
  cleanup(): Promise<void>;
}

export function conversationStoreContract(name: string, make: () => Promise<ConversationStoreUnderTest>) {
  describe(`${name} (conversation store contract)`, () => {
    let t: ConversationStoreUnderTest;
    const key = (channel = 'telegram'): ConversationKey => ({ channel, externalId: randomUUID() });
    beforeAll(async () => {
      t = await make();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('keeps one conversation per (channel, external id) and reads it back by key and by id', async () => {
      const driverId = await t.newDriver();
      const k = key();
      const id = await t.store.touch(k, { driverId, locale: 'es' });
      expect(await t.store.touch(k, {})).toBe(id);
      expect(await t.store.touch({ channel: 'web', externalId: k.externalId }, {})).not.toBe(id);
      const byKey = await t.store.find(k);
      expect(byKey).toMatchObject({
        id,
        channel: 'telegram',
        externalId: k.externalId,
        driverId,
        locale: 'es',
        mode: 'bot',
        reference: null,
      });
      expect(byKey?.lastMessageAt).toBeInstanceOf(Date);
      expect(await t.store.find({ id })).toEqual(byKey);
    });

    it('finds nothing for unknown keys and ids, including ids that are not uuids', async () => {
      expect(await t.store.find(key())).toBeNull();
      expect(await t.store.find({ id: randomUUID() })).toBeNull();
      expect(await t.store.find({ id: 'not-a-uuid' })).toBeNull();
      expect(await t.store.reference(key())).toBeNull();
    });

    it('reads back the latest reference, and keeps it when a touch brings none', async () => {
      const k = key();
      const first = {
        channelId: 'telegram',
        conversation: { id: k.externalId, properties: { address: { chatId: 1 } } },
      };
      const second = {
        ...first,
        conversation: { ...first.conversation, properties: { address: { chatId: 2 } } },
      };
      await t.store.touch(k, { reference: first });
      expect(await t.store.reference(k)).toEqual(first);
      await t.store.touch(k, { reference: second });
      await t.store.touch(k, { locale: 'en' });
      expect(await t.store.reference(k)).toEqual(second);
      expect((await t.store.find(k))?.reference).toEqual(second);
    });

    it('keeps the transcript in order with every sender, and returns the last ones oldest first', async () => {
      const k = key();
      const id = await t.store.touch(k, {});
      const senders = ['driver', 'bot', 'agent', 'system'] as const;
      for (const [i, sender] of senders.entries()) {
        await t.store.append(id, {
          direction: sender === 'driver' ? 'in' : 'out',
          sender,
          text: sender === 'system' ? null : `m${i}`,
          payload:
            sender === 'bot'
              ? { suggestedActions: [{ type: 'openUrl', title: 'Pay', url: 'https://pay.example/x' }] }
              : null,
        });
      }
      const all = await t.store.recent(k, 10);
      expect(all.map((e) => [e.direction, e.sender, e.text])).toEqual([
        ['in', 'driver', 'm0'],
        ['out', 'bot', 'm1'],
        ['out', 'agent', 'm2'],
        ['out', 'system', null],
      ]);
      expect(all[1]?.payload).toEqual({
        suggestedActions: [{ type: 'openUrl', title: 'Pay', url: 'https://pay.example/x' }],
      });
      expect(all[0]?.payload).toBeNull();
      expect(all.every((e) => typeof e.id === 'string' && e.at instanceof Date)).toBe(true);
      expect((await t.store.recent(k, 2)).map((e) => e.text)).toEqual(['m2', null]);
      expect(await t.store.recent(key(), 5)).toEqual([]);
    });

    it("records a turn as one touch with the driver's message, then its replies in order at once", async () => {
      const driverId = await t.newDriver();
      const k = key('web');
      const at = new Date('2026-03-01T10:00:00.000Z');
      const id = await t.store.touch(
        k,
        { driverId, locale: 'en' },
        { direction: 'in', sender: 'driver', text: 'hi', payload: { value: 'x' }, at },
      );
      expect(
        await t.store.touch(k, {}, { direction: 'in', sender: 'driver', text: 'again', payload: null }),
      ).toBe(id);
      await t.store.appendMany(id, [
        { direction: 'out', sender: 'bot', text: 'one', payload: { activityId: 'a1' } },
        { direction: 'out', sender: 'bot', text: 'two', payload: null },
      ]);
      await t.store.appendMany(id, []);
      const all = await t.store.recent(k, 10);
      expect(all.map((e) => [e.direction, e.sender, e.text, e.payload])).toEqual([
        ['in', 'driver', 'hi', { value: 'x' }],
        ['in', 'driver', 'again', null],
        ['out', 'bot', 'one', { activityId: 'a1' }],
        ['out', 'bot', 'two', null],
      ]);
      expect(all[0]?.at.toISOString()).toBe(at.toISOString());
      expect(await t.store.find(k)).toMatchObject({ id, driverId, locale: 'en', mode: 'bot' });
    });

    it('switches who answers: handoff requested, agent, back to the bot', async () => {
      const k = key();
      const id = await t.store.touch(k, {});
      await t.store.requestHandoff(id, 'wants a person');
      expect((await t.store.find({ id }))?.mode).toBe('handoff_requested');
      await t.store.setMode(id, 'agent');
      expect((await t.store.find(k))?.mode).toBe('agent');
      await t.store.setMode(id, 'bot');
      expect((await t.store.find(k))?.mode).toBe('bot');
      await expect(t.store.setMode(randomUUID(), 'agent')).rejects.toThrow();
    });

    it("erases a driver's conversations and transcripts, and nobody else's", async () => {
      const [gone, stays] = [await t.newDriver(), await t.newDriver()];
      const a = key();
      const b = key('web');
      const c = key();
      for (const [k, driverId] of [
        [a, gone],
        [b, gone],
        [c, stays],
      ] as const) {
        const id = await t.store.touch(k, { driverId });
        await t.store.append(id, { direction: 'in', sender: 'driver', text: 'hi', payload: null });
      }
      expect(await t.store.eraseDriver(gone)).toBe(2);
      expect(await t.store.find(a)).toBeNull();
      expect(await t.store.recent(b, 5)).toEqual([]);
      expect(await t.store.recent(c, 5)).toHaveLength(1);
    });
  });
}
