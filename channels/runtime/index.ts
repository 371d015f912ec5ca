// The conversation runtime every channel stands on (see runtime.ts).
export { ConversationRuntime, type ConversationRuntimeOptions, type RuntimeLogger } from './runtime.ts';
export { MemoryKeyedLock } from './memory-keyed-lock.ts';
export { RedisKeyedLock } from './redis-keyed-lock.ts';
export {
  DeliveryError,
  LockTimeoutError,
  type ChannelOutlet,
  type ConversationAddress,
  type DeliveryErrorKind,
  type DeliveryFailure,
  type DeliveryResult,
  type DriverMessageEvent,
  type HandoffRouter,
  type InboundMessage,
  type KeyedLock,
  type Lease,
  type Sender,
  type TurnRoute,
} from './types.ts';
