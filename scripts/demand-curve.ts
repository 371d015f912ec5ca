// The simulated city's demand: shared by `npm run simulate` and `npm run bench:forecast`.

/** Share of bays taken by hour of day (local), a weekday in a busy city; interpolated between points. */
const DAILY_CURVE: ReadonlyArray<[hour: number, occupied: number]> = [
  [0, 0.12],
  [6, 0.15],
  [8, 0.55],
  [10, 0.85],
  [12, 0.9],
  [14, 0.75],
  [17, 0.85],
  [19, 0.7],
  [22, 0.3],
  [24, 0.12],
];
// Stadium evenings, station mornings: each car park's curve is the city's, shifted a little.
const SHIFT_HOURS: Record<string, number> = { WEM: 5, PAD: -1, KXC: -1, CWJ: -0.5, SBC: 2, WSB: 1 };

/** The share of a car park's bays taken at a moment (the machine's local clock, as the simulator plays it). */
export function targetOccupancy(facilityCode: string, simulated: Date): number {
  const hour =
    (simulated.getHours() + simulated.getMinutes() / 60 - (SHIFT_HOURS[facilityCode] ?? 0) + 24) % 24;
  const i = DAILY_CURVE.findIndex(([h]) => h > hour);
  const [h0, v0] = DAILY_CURVE[i - 1]!;
  const [h1, v1] = DAILY_CURVE[i]!;
  return v0 + ((v1 - v0) * (hour - h0)) / (h1 - h0);
}
