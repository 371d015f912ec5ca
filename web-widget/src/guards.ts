/**
 * Light runtime checks of what arrives on the socket. The server validates with zod; the browser
 * checks shapes by hand (no zod in the bundle) so that a malformed or newer message is dropped
 * or partly shown, never a crash. Unknown attachment types are dropped here.
 */
import type {
  BookingSummaryContent,
  ChatActivity,
  ChatAttachment,
  FacilityCardItem,
  FacilityFree,
  FacilityListContent,
  Notice,
  PostBackAction,
  Session,
  SuggestedAction,
} from './protocol.ts';

type Check = (v: unknown) => boolean;
type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => typeof v === 'string';
const optStr: Check = (v) => v === undefined || typeof v === 'string';
const int: Check = (v) => Number.isInteger(v);
const optNum: Check = (v) => v === undefined || (typeof v === 'number' && Number.isFinite(v));

/** Whether every listed field passes its check. */
function fits<T>(v: unknown, fields: Record<string, Check>): v is T {
  return isRec(v) && Object.entries(fields).every(([k, check]) => check(v[k]));
}

const isPostBack = (v: unknown): v is PostBackAction =>
  fits(v, { type: (t) => t === undefined || t === 'postBack', title: str, value: str });
const optAction: Check = (v) => v === undefined || isPostBack(v);
/** Checks per action type; an action of a type not listed keeps only its title (shown as text). */
const actionChecks: Record<string, Check> = {
  postBack: isPostBack,
  openUrl: (v) => fits(v, { title: str, url: (u) => typeof u === 'string' && /^https?:\/\//i.test(u) }),
  requestLocation: (v) => fits(v, { title: str }),
};
function asAction(v: unknown): SuggestedAction | undefined {
  if (!isRec(v) || typeof v['title'] !== 'string') return undefined;
  const type = v['type'] ?? 'postBack';
  if (typeof type !== 'string') return undefined;
  if (!Object.prototype.hasOwnProperty.call(actionChecks, type))
    return { type, title: v['title'] } as unknown as SuggestedAction; // rendered as its title
  return actionChecks[type]?.(v) ? (v as SuggestedAction) : undefined;
}

const isFacility = (v: unknown): v is FacilityCardItem =>
  fits(v, {
    facilityId: str,
    name: str,
    address: str,
    distanceKm: optNum,
    free: int,
    total: int,
    price: str,
    hoursToday: optStr,
    action: optAction,
  });

const isFacilityList = (v: unknown): v is FacilityListContent =>
  fits(v, { title: str, facilities: (f) => Array.isArray(f) && f.every(isFacility) });

const isBooking = (v: unknown): v is BookingSummaryContent =>
  fits(v, {
    title: str,
    reference: str,
    status: str,
    statusLabel: str,
    facilityName: str,
    spaceCode: str,
    spaceKind: str,
    plate: str,
    when: str,
    price: str,
    note: optStr,
  });

/** Content checks by attachment type; a type missing here is one this widget cannot show. */
const contentChecks: { [K in ChatAttachment['contentType']]: Check } = {
  'application/vnd.parking.facility-list+json': isFacilityList,
  'application/vnd.parking.booking+json': isBooking,
};

function isAttachment(v: unknown): v is ChatAttachment {
  if (!isRec(v) || typeof v['contentType'] !== 'string') return false;
  const type = v['contentType'];
  // own keys only, so `constructor` or `__proto__` never finds a function on Object.prototype
  if (!Object.prototype.hasOwnProperty.call(contentChecks, type)) return false;
  return (contentChecks as Record<string, Check>)[type]?.(v['content']) === true;
}

const FROM = ['bot', 'agent', 'driver'] as const;

/**
 * The activity, with unusable buttons and attachments left out; `undefined` if it has no id or is
 * not a message.
 */
export function asActivity(v: unknown): ChatActivity | undefined {
  if (!fits<Rec>(v, { id: str, type: (t) => t === 'message', text: optStr, timestamp: optStr }))
    return undefined;
  const from = FROM.find((f) => f === v['from']) ?? 'bot';
  const actions = Array.isArray(v['suggestedActions'])
    ? v['suggestedActions'].map(asAction).filter((a): a is SuggestedAction => a !== undefined)
    : [];
  const attachments = Array.isArray(v['attachments']) ? v['attachments'].filter(isAttachment) : [];
  return {
    id: v['id'] as string,
    type: 'message',
    from,
    text: v['text'] as string | undefined,
    suggestedActions: actions,
    attachments,
    timestamp: (v['timestamp'] as string | undefined) ?? new Date().toISOString(),
  };
}

/** The usable activities of a `history` event. */
export function asHistory(v: unknown): ChatActivity[] {
  const list = isRec(v) && Array.isArray(v['activities']) ? v['activities'] : [];
  return list.map(asActivity).filter((a): a is ChatActivity => a !== undefined);
}

export const isSession = (v: unknown): v is Session => fits(v, { token: str, conversationId: str });
export const isNotice = (v: unknown): v is Notice => fits(v, { code: str, message: str });
export const isFacilityFree = (v: unknown): v is FacilityFree =>
  fits(v, { facilityId: str, free: int, total: int });
