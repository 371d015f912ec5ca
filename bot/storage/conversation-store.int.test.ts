import { randomUUID } from 'node:crypto';
import { BACKENDS, freshDatabase } from '../../test/support/databases.ts';
import { PrismaConversationStore } from './conversation-store.ts';
import { conversationStoreContract } from './conversation-store.contract.ts';
import { MemoryConversationStore } from './memory-conversation-store.ts';

conversationStoreContract('MemoryConversationStore', async () => ({
  store: new MemoryConversationStore(),
  newDriver: async () => randomUUID(),
  cleanup: async () => {},
}));

for (const kind of BACKENDS) {
  conversationStoreContract(`PrismaConversationStore on ${kind}`, async () => {
    const db = await freshDatabase(kind);
    return {
      store: new PrismaConversationStore(db),
      newDriver: async () => (await db.prisma.driver.create({ data: {}, select: { id: true } })).id,
      cleanup: () => db.close(),
    };
  });
}
