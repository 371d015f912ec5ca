import type { Booking, Facility, Payment } from '../booking-core/index.ts';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const formatMoney = (minor: number, currency: string, locale = 'en-GB') => {
  const digits =
    new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
};

const when = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; margin: 0; padding: 2rem 1rem; color: #1d2433; }
  main { max-width: 28rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 2px 12px #0001; }
  .test { background: #fff3cd; border: 2px dashed #b58100; color: #5c4400; padding: .75rem 1rem; border-radius: 8px; font-weight: 600; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; } dt { color: #5a6478; } dd { margin: 0; }
  .amount { font-size: 2rem; font-weight: 700; margin: .5rem 0; }
  form { display: inline; } button { font: inherit; padding: .6rem 1.4rem; border-radius: 8px; border: 0; cursor: pointer; margin: .5rem .5rem 0 0; }
  .pay { background: #0a7d4f; color: #fff; } .cancel { background: #e4e7ec; color: #1d2433; }
  .status { font-size: 1.25rem; font-weight: 600; }
</style></head><body><main>${body}</main></body></html>`;

const TEST_BANNER =
  '<p class="test" role="note">TEST PAYMENT — this is the platform’s built-in test checkout. No money moves and no card is needed.</p>';

const details = (p: Payment, b: Booking, f: Facility | null) => {
  const tz = f?.timeZone ?? 'UTC';
  return `<dl>
  <dt>Booking</dt><dd>${escape(b.reference)}</dd>
  <dt>Car park</dt><dd>${escape(f?.name ?? '')}</dd>
  <dt>Space</dt><dd>${escape(b.spaceCode)}</dd>
  <dt>From</dt><dd>${escape(when(p.extendFrom ?? b.from, tz))}</dd>
  <dt>To</dt><dd>${escape(when(p.extendTo ?? b.to, tz))}</dd>
  <dt>Plate</dt><dd>${escape(b.plate)}</dd>
</dl>`;
};

const STATUS_TEXT: Record<Payment['status'], string> = {
  pending: '',
  paid: 'Payment received — booking confirmed.',
  expired: 'This checkout has closed; nothing was paid. Book again in the chat.',
  failed: 'The payment failed; nothing was taken. Book again in the chat.',
  refunded: 'This payment was refunded.',
  partially_refunded: 'This payment was partly refunded.',
};

/**
 * The embedded test checkout: the booking, the amount, a plain "no money moves" label, and Pay /
 * Cancel buttons that post back to the platform.
 */
export function testCheckoutPage(p: Payment, b: Booking, f: Facility | null, action: string): string {
  const amount = `<p class="amount">${escape(formatMoney(p.amountMinor, p.currency))}</p>`;
  const tz = f?.timeZone ?? 'UTC';
  const body =
    p.status === 'pending'
      ? `${TEST_BANNER}<h1>Pay for your parking</h1>${amount}${details(p, b, f)}
<p>Pay by ${escape(when(p.expiresAt, tz))} or the space is released.</p>
<form method="post" action="${escape(action)}/pay"><button class="pay" type="submit">Pay ${escape(formatMoney(p.amountMinor, p.currency))}</button></form>
<form method="post" action="${escape(action)}/cancel"><button class="cancel" type="submit">Cancel</button></form>`
      : `${TEST_BANNER}<h1>Parking ${escape(b.reference)}</h1>${amount}<p class="status" role="status">${escape(STATUS_TEXT[p.status])}</p>${details(p, b, f)}`;
  return page('Test checkout', body);
}

/** Where a provider sends the payer back. */
export function returnPage(p: Payment | null, cancelled: boolean): string {
  const text = !p
    ? 'We could not find this payment.'
    : cancelled && p.status === 'pending'
      ? 'No payment was made. Your space stays held until the hold lapses; use the Pay button in the chat to try again.'
      : p.status === 'pending'
        ? 'Thank you — your payment is being confirmed. You will get a message in the chat.'
        : STATUS_TEXT[p.status];
  return page(
    'Payment',
    `<h1>Payment</h1><p class="status" role="status">${escape(text)}</p><p>You can close this page.</p>`,
  );
}
