import type { BookingCore } from '../booking-core/index.ts';
import type { FacilityDirectory } from './facility-directory.ts';
import type { Understanding } from './ports.ts';
import type { ConversationStore } from './storage/conversation-store.ts';

/** What dialogs need, passed in once (docs/conventions.md §8). */
export interface DialogDeps {
  readonly core: BookingCore;
  readonly understanding: Understanding;
  readonly directory: FacilityDirectory;
  readonly conversations: ConversationStore;
}
