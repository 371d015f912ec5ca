import type { PrismaClient } from '../../prisma/generated/client.ts';
import type { DriverLine } from '../handoff-desk.ts';

/**
 * The driver line before the conversation runtime is wired: an agent's reply is recorded in the
 * transcript (so it is part of the conversation's history) but sent nowhere.
 */
export class TranscriptOnlyLine implements DriverLine {
  constructor(private readonly prisma: PrismaClient) {}

  async send(
    conversationId: string,
    text: string,
    agent: { id: string; displayName: string },
  ): Promise<void> {
    await this.prisma.transcriptMessage.create({
      data: {
        conversationId,
        direction: 'out',
        sender: 'agent',
        text,
        payload: { agent: agent.displayName },
      },
    });
  }

  async typing(): Promise<void> {}

  async announce(): Promise<void> {}
}
