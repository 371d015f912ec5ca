/**
 * PostgreSQL array literals, built by hand for one text parameter per column (`$1::uuid[]`,
 * `$2::timestamptz[]`…): the driver then sends a string as it is. Handing it JavaScript arrays
 * instead costs a conversion per element (node-postgres' `arrayString`, and more through Prisma),
 * which once was the largest share of the bridge's garbage.
 */

const NEEDS_ESCAPE = /["\\]/g;

/** One element in double quotes, inside which only a quote or a backslash needs escaping. */
const quoted = (v: string | null) => (v === null ? 'NULL' : `"${v.replace(NEEDS_ESCAPE, '\\$&')}"`);

/**
 * `{"a","b c",NULL}` for `['a', 'b c', null]`; PostgreSQL reads each element back exactly.
 *
 *   await sql.query('SELECT unnest($1::text[])', [arrayLiteral(['a', 'b c', null])])
 */
export function arrayLiteral(values: readonly (string | null)[]): string {
  if (!values.length) return '{}';
  // The usual batch (ids, times, device ids) has no null, quote or backslash: one join quotes it all.
  for (const v of values) {
    if (v === null || v.includes('"') || v.includes('\\')) return `{${values.map(quoted).join(',')}}`;
  }
  return `{"${values.join('","')}"}`;
}
