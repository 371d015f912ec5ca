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
  /** the topic (after the prefix); null when it does not match */
  readonly match: RegExp;
  /** the topic's variable levels, as `parse` takes them */
  readonly levels: (m: RegExpExecArray) => readonly string[];
  readonly parse: (levels: readonly string[], payload: Buffer) => ParseResult;
  /**
   * The device id the topic names, the sensor's key: messages with the same one are about the same
   * sensor and are applied in arrival order. `<facilityCode>/<spaceCode>` in our format (a JSON
   * sensor's device id, captured whole rather than put together again), the TTN device id for an
   * uplink; a topic level has no "/", so the two kinds never meet.
   */
  readonly deviceId: (m: RegExpExecArray) => string;
}

// Our format: group 1 is "<facilityCode>/<spaceCode>", groups 2 and 3 the codes.
const jsonRoute = (kind: string, parse: TopicRoute['parse']): TopicRoute => ({
  match: new RegExp(`^parking\\/(([^/]*)\\/([^/]*))\\/${kind}$`),
  levels: (m) => [m[2]!, m[3]!],
  parse,
  deviceId: (m) => m[1]!,
});

export const TOPIC_ROUTES: Readonly<Record<string, TopicRoute>> = {
  'parking/+/+/occupancy': jsonRoute('occupancy', parseOccupancyMessage),
  'parking/+/+/heartbeat': jsonRoute('heartbeat', parseHeartbeatMessage),
  'v3/+/devices/+/up': {
    match: /^v3\/([^/]*)\/devices\/([^/]*)\/up$/,
    levels: (m) => [m[1]!, m[2]!],
    parse: parseTtnUplink,
    deviceId: (m) => m[2]!,
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

/**
 * The parser's verdict on a message, and the key that orders messages of one sensor (the device id
 * the topic names).
 *
 *   parseMessage('parking/KXC/B1-004/occupancy', payload) // { key: 'KXC/B1-004', result: { ok: true, … } }
 */
export function parseMessage(
  topic: string,
  payload: Buffer,
  prefix = '',
): { key: string; result: ParseResult } {
  if (topic.startsWith(prefix)) {
    const rest = prefix ? topic.slice(prefix.length) : topic;
    for (const route of ROUTES) {
      const m = route.match.exec(rest);
      if (m) return { key: route.deviceId(m), result: route.parse(route.levels(m), payload) };
    }
  }
  return { key: topic, result: refuse('topic.unknown', 'no parser for this topic') };
}
