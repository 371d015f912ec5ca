// The operators' dashboard in the browser: the analytics API drawn with uPlot, the city's
// occupancy now (refreshed live over socket.io /live) and a CSV link per chart. Every text from
// the server goes in with textContent.
import { io } from 'socket.io-client';
import uPlot from 'uplot';

interface Facility {
  id: string;
  name: string;
  freeNow?: { free: number; byKind: Record<string, { total: number; free: number }> };
}
type Row = Record<string, string | number | null>;
interface Answer {
  series: Row[];
  summary?: Record<string, number | null>;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = (tag: string, text?: string, cls?: string) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function api<T>(path: string): Promise<T> {
  const r = await fetch(`/api/v1${path}`, { credentials: 'same-origin' });
  if (r.status === 401) location.assign('/console');
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return (await r.json()) as T;
}

function period(): { from: Date; to: Date; bucket: 'hour' | 'day' } {
  const choice = $<HTMLSelectElement>('period').value;
  const now = Date.now();
  if (choice === 'custom') {
    const from = new Date($<HTMLInputElement>('from').value || now - 7 * DAY);
    const to = new Date($<HTMLInputElement>('to').value || now);
    return { from, to, bucket: to.getTime() - from.getTime() > 3 * DAY ? 'day' : 'hour' };
  }
  if (choice === 'today') {
    const d = new Date();
    d.setHours(0, 0, 0, 0);
    return { from: d, to: new Date(now), bucket: 'hour' };
  }
  const days = choice === '30d' ? 30 : 7;
  return { from: new Date(now - days * DAY), to: new Date(now), bucket: days > 7 ? 'day' : 'hour' };
}

function query(format?: 'csv'): string {
  const p = period();
  const q = new URLSearchParams({ from: p.from.toISOString(), to: p.to.toISOString(), bucket: p.bucket });
  const facility = $<HTMLSelectElement>('facility').value;
  if (facility) q.set('facilityId', facility);
  if (format) q.set('format', format);
  return q.toString();
}

const charts = new Map<string, uPlot>();

/** One line per group (kind, channel, currency…) over the buckets. */
function draw(name: string, rows: Row[], group: string | null, value: (r: Row) => number, unit: string) {
  const box = $(`chart-${name}`);
  charts.get(name)?.destroy();
  box.replaceChildren();
  const buckets = [...new Set(rows.map((r) => String(r['bucket'])))].sort();
  const groups = group ? [...new Set(rows.map((r) => String(r[group])))].sort() : [unit];
  if (!buckets.length) {
    box.append(el('p', 'No data in this period.', 'empty'));
    return;
  }
  const x = buckets.map((b) => Date.parse(b) / 1000);
  const ys = groups.map((g) =>
    buckets.map((b) => {
      const found = rows.filter((r) => String(r['bucket']) === b && (!group || String(r[group]) === g));
      return found.reduce((a, r) => a + value(r), 0);
    }),
  );
  const colours = ['#1f6feb', '#d9480f', '#2f9e44', '#9c36b5', '#e67700', '#0c8599'];
  charts.set(
    name,
    new uPlot(
      {
        width: Math.max(320, box.clientWidth || 560),
        height: 220,
        series: [{}, ...groups.map((g, i) => ({ label: g, stroke: colours[i % colours.length]!, width: 2 }))],
        axes: [{}, { label: unit }],
      },
      [x, ...ys],
      box,
    ),
  );
}

function tiles(values: Array<[string, string]>) {
  const box = $('summary');
  box.replaceChildren(
    ...values.map(([label, v]) => {
      const t = el('div', undefined, 'tile');
      t.append(el('span', v, 'value'), el('span', label, 'label'));
      return t;
    }),
  );
}

const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined ? '—' : v.toFixed(digits);

async function refresh() {
  const q = query();
  for (const name of ['occupancy', 'bookings', 'revenue', 'conversations'])
    $<HTMLAnchorElement>(`csv-${name}`).href = `/api/v1/analytics/${name}?${query('csv')}`;
  const [occ, book, rev, conv] = await Promise.all([
    api<Answer>(`/analytics/occupancy?${q}`),
    api<Answer>(`/analytics/bookings?${q}`),
    api<Answer>(`/analytics/revenue?${q}`),
    api<Answer>(`/analytics/conversations?${q}`),
  ]);
  draw('occupancy', occ.series, 'kind', (r) => Number(r['occupiedAvg']), 'occupied spaces');
  draw('bookings', book.series, 'channel', (r) => Number(r['bookings']), 'bookings');
  draw('revenue', rev.series, 'currency', (r) => Number(r['netMinor']) / 100, 'net revenue');
  draw('conversations', conv.series, null, (r) => Number(r['conversations']), 'conversations');
  const b = book.summary ?? {};
  const c = conv.summary ?? {};
  const net = rev.series.reduce<Record<string, number>>((a, r) => {
    a[String(r['currency'])] = (a[String(r['currency'])] ?? 0) + Number(r['netMinor']);
    return a;
  }, {});
  tiles([
    ['bookings', fmt(b['bookings'])],
    ['average stay (min)', fmt(b['averageStayMinutes'])],
    ['no-shows', `${fmt(b['noShows'])} / ${fmt(b['noShowsChecked'])}`],
    [
      'net revenue',
      Object.entries(net)
        .map(([cur, v]) =>
          new Intl.NumberFormat(undefined, { style: 'currency', currency: cur }).format(v / 100),
        )
        .join(' · ') || '—',
    ],
    [
      'conversations → asked → held → paid',
      `${fmt(c['conversations'])} → ${fmt(c['bookingAsked'])} → ${fmt(c['held'])} → ${fmt(c['paid'])}`,
    ],
    [
      'NLU fallback rate',
      c['nluFallbackRate'] === null || c['nluFallbackRate'] === undefined
        ? '—'
        : `${(Number(c['nluFallbackRate']) * 100).toFixed(1)}%`,
    ],
    ['handoffs · median wait (s)', `${fmt(c['handoffs'])} · ${fmt(c['medianWaitSeconds'])}`],
    ['CSAT (1–5)', `${fmt(c['csat'], 2)} (${fmt(c['ratings'])})`],
  ]);
}

// ---- now: free and occupied spaces per car park and kind, live ----
const sensorFlags = new Map<string, Map<string, string>>(); // facility → device → flag

/** "offline", "flapping, low battery"… or '' for a healthy sensor. */
const flagOf = (status: string, lowBattery: boolean) =>
  [status !== 'online' ? status : '', lowBattery ? 'low battery' : ''].filter(Boolean).join(', ');

function setFlag(facilityId: string, deviceId: string, flag: string) {
  const flags = sensorFlags.get(facilityId) ?? new Map<string, string>();
  if (flag) flags.set(deviceId, flag);
  else flags.delete(deviceId);
  sensorFlags.set(facilityId, flags);
}

interface LivePicture {
  spaces: Array<{ deviceId: string; sensor: { status: string; lowBattery: boolean } }>;
}

/** Sensors already offline, flapping or low on battery when the page opens (live events follow). */
async function loadSensorHealth(facilities: readonly Facility[]) {
  await Promise.all(
    facilities.map(async (f) => {
      const picture = await api<LivePicture>(`/facilities/${f.id}/occupancy`).catch(() => null);
      for (const s of picture?.spaces ?? [])
        setFlag(f.id, s.deviceId, flagOf(s.sensor.status, s.sensor.lowBattery));
    }),
  );
}

async function renderNow() {
  const { facilities } = await api<{ facilities: Facility[] }>('/facilities');
  const body = $('now-rows');
  body.replaceChildren(
    ...facilities.map((f) => {
      const tr = el('tr');
      const kinds = Object.entries(f.freeNow?.byKind ?? {})
        .map(([k, v]) => `${k} ${v.free} free / ${v.total - v.free} taken`)
        .join(' · ');
      const flags = [...(sensorFlags.get(f.id)?.entries() ?? [])].map(([d, s]) => `${d}: ${s}`).join(', ');
      tr.append(
        el('td', f.name),
        el('td', String(f.freeNow?.free ?? '—')),
        el('td', kinds),
        el('td', flags || 'ok', flags ? 'flag' : ''),
      );
      return tr;
    }),
  );
  return facilities;
}

async function main() {
  const facilities = await renderNow();
  await loadSensorHealth(facilities);
  await renderNow();
  const select = $<HTMLSelectElement>('facility');
  for (const f of facilities) {
    const o = el('option', f.name) as HTMLOptionElement;
    o.value = f.id;
    select.append(o);
  }
  const toggleCustom = () => {
    $('custom').hidden = $<HTMLSelectElement>('period').value !== 'custom';
  };
  for (const id of ['period', 'facility', 'from', 'to'])
    $(id).addEventListener('change', () => {
      toggleCustom();
      void refresh().catch(showError);
    });
  toggleCustom();
  await refresh();
  const live = io('/live', { transports: ['websocket'] });
  let pending: ReturnType<typeof setTimeout> | null = null;
  const soon = () => {
    pending ??= setTimeout(() => {
      pending = null;
      void renderNow().catch(showError);
    }, 1000);
  };
  live.on('connect', () => {
    for (const f of facilities) live.emit('facility.watch', { facilityId: f.id }, () => {});
    $('live').textContent = 'live';
  });
  live.on('disconnect', () => ($('live').textContent = 'reconnecting…'));
  live.on('occupancy.changed', soon);
  live.on(
    'sensor.health_changed',
    (e: { facilityId: string; deviceId: string; status: string; lowBattery: boolean }) => {
      setFlag(e.facilityId, e.deviceId, flagOf(e.status, e.lowBattery));
      soon();
    },
  );
  document.body.dataset['ready'] = 'true';
}

function showError(e: unknown) {
  $('error').textContent = e instanceof Error ? e.message : 'something went wrong';
}

void main().catch(showError);
