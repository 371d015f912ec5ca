/**
 * Expected business outcomes travel as values, not exceptions (docs/conventions.md §6).
 *
 *   const r = await bookings.hold(req);
 *   if (!r.ok) return reply(409, { code: r.error.code });
 */
export type Result<T, E> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
