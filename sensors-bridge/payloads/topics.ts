/**
 * Which topics the bridge listens to, and which parser reads each: a lookup from MQTT topic filter
 * to parser. A topic prefix lets several deployments (or test runs) share one broker.
 */
import { parseHeartbeatMessage, parseOccupancyMessage } from './json-format.ts';
import { refuse, type ParseResult } from './parse-result.ts';
import { parseTtnUplink } from './ttn-uplink.ts';

/** Rejected messages are republished here, with the reason. Not matched by any filter below. */
export const DEAD_LETTER_TOPIC = 'parking/_dead-letter';

interface TopicRoute {
  /** the topic's variable levels, or null when it does not match */
  readonly match: RegExp;
  readonly parse: (levels: readonly string[], payload: Buffer) => ParseResult;
  /** messages with the same key are about the same sensor and are applied in arrival order */
  readonly sensorKey: (levels: readonly string[]) => string;
}

const codesKey = (l: readonly string[]) => `json:${l[0]}/${l[1]}`;

export const TOPIC_ROUTES: Readonly<Record<string, TopicRoute>> = {
  'parking/+/+/occupancy': {
    match: /^parking\/([^/]*)\/([^/]*)\/occupancy$/,
    parse: parseOccupancyMessage,
    sensorKey: codesKey,
  },
  'parking/+/+/heartbeat': {
    match: /^parking\/([^/]*)\/([^/]*)\/heartbeat$/,
    parse: parseHeartbeatMessage,
    sensorKey: codesKey,
  },
  'v3/+/devices/+/up': {
    match: /^v3\/([^/]*)\/devices\/([^/]*)\/up$/,
    parse: parseTtnUplink,
    sensorKey: (l) => `ttn:${l[1]}`,
  },
};

const ROUTES = Object.values(TOPIC_ROUTES);

/**
 * The filters to subscribe to; with a shared-subscription group, as `$share/<group>/<filter>`.
 *
 *   subscriptionFilters('', 'parking') // ['$share/parking/parking/+/+/occupancy', …]
 */
export function subscriptionFilters(prefix = '', sharedGroup?: string): string[] {
  return Object.keys(TOPIC_ROUTES).map((f) => (sharedGroup ? `$share/${sharedGroup}/` : '') + prefix + f);
}

/** The parser's verdict on a message, and the key that orders messages of one sensor. */
export function parseMessage(
  topic: string,
  payload: Buffer,
  prefix = '',
): { key: string; result: ParseResult } {
  if (topic.startsWith(prefix)) {
    const rest = topic.slice(prefix.length);
    for (const route of ROUTES) {
      const m = route.match.exec(rest);
      if (m) {
        const levels = m.slice(1);
        return { key: route.sensorKey(levels), result: route.parse(levels, payload) };
      }
    }
  }
  return { key: topic, result: refuse('topic.unknown', 'no parser for this topic') };
}
