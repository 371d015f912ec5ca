import type { HandoffItem, HandoffDetailItem, TranscriptItem } from './console-protocol.ts';
import type { HandoffDetail } from './handoff-desk.ts';
import type { Handoff, TranscriptLine } from './types.ts';

/** A handoff as JSON for the REST API and the console. */
export const handoffItem = (h: Handoff): HandoffItem => ({
  id: h.id,
  conversationId: h.conversationId,
  channel: h.channel,
  language: h.locale,
  status: h.status,
  reason: h.reason,
  summary: h.summary,
  agent: h.agent,
  resolution: h.resolution,
  rating: h.rating,
  createdAt: h.createdAt.toISOString(),
  takenAt: h.takenAt?.toISOString() ?? null,
  closedAt: h.closedAt?.toISOString() ?? null,
});

export const transcriptItem = (l: TranscriptLine): TranscriptItem => ({ ...l, at: l.at.toISOString() });

export const handoffDetailItem = (d: HandoffDetail): HandoffDetailItem => ({
  handoff: handoffItem(d.handoff),
  transcript: d.transcript.map(transcriptItem),
  notes: d.notes.map((n) => ({ ...n, at: n.at.toISOString() })),
  bookings: d.bookings.map(({ booking: b, facility: f }) => ({
    id: b.id,
    reference: b.reference,
    status: b.status,
    from: b.from.toISOString(),
    to: b.to.toISOString(),
    plate: b.plate,
    spaceCode: b.spaceCode,
    spaceKind: b.spaceKind,
    price: { amountMinor: b.priceMinor, currency: b.currency },
    facility: f
      ? { id: f.id, name: f.name, timeZone: f.timeZone, free: f.freeNow.free, total: f.freeNow.total }
      : null,
  })),
});
