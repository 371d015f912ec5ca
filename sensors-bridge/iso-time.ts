/**
 * ISO-8601 times on the ingest path. `Date#toISOString` costs about 20 `new Date()`s in V8, and the
 * bridge formats two or three times per message; this gives the same string from plain arithmetic
 * (the date part is remembered, since consecutive messages nearly always fall on the same day), and
 * the last two times formatted are remembered whole: under load many messages are received within
 * one millisecond, and a reading's time is formatted more than once. Sharing those strings matters
 * more than formatting them: live records keep them, long enough for the young generation's
 * collector to copy each one it did not share.
 */
const DAY_MS = 86_400_000;
// 0000-01-01T00:00:00.000Z … 9999-12-31T23:59:59.999Z: the range toISOString writes with four-digit years.
const FIRST_MS = -62_167_219_200_000;
const LAST_MS = 253_402_300_799_999;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let cachedDay = NaN;
let cachedDatePart = '';
// The two times formatted last, the one used more recently at index `recent`.
const memoMs = [NaN, NaN];
const memoIso = ['', ''];
let recent = 0;

/** "YYYY-MM-DDT" of a day since the epoch (Howard Hinnant's civil_from_days). */
function datePart(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
}

/**
 * Exactly `new Date(ms).toISOString()`, including its RangeError for an invalid time.
 *
 *   isoString(Date.UTC(2030, 5, 3, 8)) // '2030-06-03T08:00:00.000Z'
 */
export function isoString(ms: number): string {
  if (ms === memoMs[recent]) return memoIso[recent]!;
  const other = 1 - recent;
  if (ms === memoMs[other]) {
    recent = other;
    return memoIso[other]!;
  }
  const iso = formatIso(ms);
  memoMs[other] = ms;
  memoIso[other] = iso;
  recent = other;
  return iso;
}

function formatIso(ms: number): string {
  if (!(ms >= FIRST_MS && ms <= LAST_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  if (days !== cachedDay) {
    cachedDatePart = datePart(days);
    cachedDay = days;
  }
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedDatePart}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}

/** toISOString's own shape ("YYYY-MM-DDTHH:mm:ss.sssZ"): such strings sort as their times do. */
const isPlainIso = (s: string) =>
  s.length === 24 && s[10] === 'T' && s[19] === '.' && s[23] === 'Z' && s[0] !== '+' && s[0] !== '-';

/**
 * Whether ISO time `a` is earlier than ISO time `b` (as `Date.parse(a) < Date.parse(b)`); compares
 * the strings when both are in toISOString's shape, which saves parsing either.
 */
export function isEarlier(a: string, b: string): boolean {
  return isPlainIso(a) && isPlainIso(b) ? a < b : Date.parse(a) < Date.parse(b);
}

/** The number `s` holds at [from, from + length), or -1 unless all of it is digits. */
function digitsAt(s: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Exactly `Date.parse(s)`. Sensors' times nearly always come as "YYYY-MM-DDTHH:mm:ss[.sss]Z", which
 * is read here with plain arithmetic (V8's date parser costs several times as much); anything else,
 * and anything unusual in that shape (a year before 100, hour 24), goes to `Date.parse`.
 *
 *   parseIsoTime('2030-06-03T08:00:00.000Z') // Date.UTC(2030, 5, 3, 8)
 */
export function parseIsoTime(s: string): number {
  const n = s.length;
  if (
    (n === 20 || (n === 24 && s.charCodeAt(19) === 46)) && // "." before the milliseconds
    s.charCodeAt(n - 1) === 90 && // "Z"
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 && // "-"
    s.charCodeAt(10) === 84 && // "T"
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58 // ":"
  ) {
    const year = digitsAt(s, 0, 4);
    const month = digitsAt(s, 5, 2);
    const day = digitsAt(s, 8, 2);
    const hours = digitsAt(s, 11, 2);
    const minutes = digitsAt(s, 14, 2);
    const seconds = digitsAt(s, 17, 2);
    const ms = n === 24 ? digitsAt(s, 20, 3) : 0;
    if (
      year >= 100 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!) &&
      hours >= 0 &&
      hours <= 23 &&
      minutes >= 0 &&
      minutes <= 59 &&
      seconds >= 0 &&
      seconds <= 59 &&
      ms >= 0
    )
      return Date.UTC(year, month - 1, day, hours, minutes, seconds, ms);
  }
  return Date.parse(s);
}
