/**
 * PostgreSQL array literals, built by hand for one text parameter per column (`$1::uuid[]`,
 * `$2::timestamptz[]`…): the driver then sends a string as it is. Handing it JavaScript arrays
 * instead costs a conversion per element (node-postgres' `arrayString`, and more through Prisma),
 * which once was the largest share of the bridge's garbage.
 */

// Elements made only of these need no quotes: none is a delimiter, brace, quote, backslash or space.
const BARE = /^[\w.:+\-/@]+$/;
const NEEDS_ESCAPE = /["\\]/g;

/**
 * `{a,"b c",NULL}` for `['a', 'b c', null]`; PostgreSQL reads each element back exactly.
 *
 *   await sql.query('SELECT unnest($1::text[])', [arrayLiteral(['a', 'b c', null])])
 */
export function arrayLiteral(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    if (v === null) out += 'NULL';
    else if (BARE.test(v) && !(v.length === 4 && v.toUpperCase() === 'NULL')) out += v;
    else out += `"${v.replace(NEEDS_ESCAPE, '\\$&')}"`;
  }
  return `${out}}`;
}
