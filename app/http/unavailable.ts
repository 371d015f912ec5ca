/**
 * Errors that mean "a backing service is unreachable right now" (PostgreSQL down or unreachable,
 * pool exhausted, Redis offline) rather than a bug: callers get 503 and a clear body, and retry.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
// PostgreSQL: admin shutdown, crash shutdown, cannot connect now, connection failures
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
// Prisma: can't reach / timed out / connection closed / pool timeout
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection (is )?closed|Connection is closed|ECONNREFUSED|Reached the max retries per request limit|Stream isn't writeable/i;

export function isBackendUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  const e = error as Record<string, unknown>;
  const code = typeof e['code'] === 'string' ? e['code'] : undefined;
  if (code && (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code) || PRISMA_CODES.has(code))) return true;
  if (typeof e['originalCode'] === 'string' && POSTGRES_CODES.has(e['originalCode'])) return true;
  if (typeof e['kind'] === 'string' && ADAPTER_KINDS.has(e['kind'])) return true;
  if (e['name'] === 'StorageError') return true;
  if (typeof e['message'] === 'string' && MESSAGES.test(e['message'])) return true;
  const meta = e['meta'] as Record<string, unknown> | undefined;
  return (
    isBackendUnavailable(e['cause'], depth + 1) ||
    isBackendUnavailable(meta?.['driverAdapterError'], depth + 1) ||
    (Array.isArray(e['errors']) && e['errors'].some((x) => isBackendUnavailable(x, depth + 1)))
  );
}
