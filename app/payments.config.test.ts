import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { paymentOptions } from './payments.module.ts';

const providers = (env: Record<string, string>) =>
  paymentOptions(loadConfig(env), () => 'http://127.0.0.1:3000')!.gateways.map((g) => g.provider);

describe('payment settings', () => {
  it('defaults to the embedded test checkout and a 24-hour full-refund window', () => {
    const config = loadConfig({});
    expect(config.REFUND_FULL_HOURS).toBe(24);
    expect(providers({})).toEqual(['test']);
  });

  it('puts Stripe first and PayPal as its backup when both are configured', () => {
    expect(
      providers({
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        PAYPAL_CLIENT_ID: 'id',
        PAYPAL_CLIENT_SECRET: 'secret',
      }),
    ).toEqual(['stripe', 'paypal']);
    expect(providers({ PAYPAL_CLIENT_ID: 'id', PAYPAL_CLIENT_SECRET: 'secret' })).toEqual(['paypal']);
  });

  it('names the missing half of a pair, without echoing the secret', () => {
    const attempt = () => providers({ STRIPE_SECRET_KEY: 'sk_live_very_secret' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY/);
    expect(attempt).not.toThrow(/sk_live_very_secret/);
    expect(() => providers({ PAYPAL_CLIENT_ID: 'id' })).toThrow(/PAYPAL_CLIENT_SECRET/);
  });

  it('wants STRIPE_API_URL as a bare origin and PUBLIC_URL without a trailing slash', () => {
    expect(() => loadConfig({ STRIPE_API_URL: 'http://127.0.0.1:12111/v1' })).toThrow(/STRIPE_API_URL/);
    expect(loadConfig({ STRIPE_API_URL: 'http://127.0.0.1:12111' }).STRIPE_API_URL).toBe(
      'http://127.0.0.1:12111',
    );
    expect(loadConfig({ PUBLIC_URL: 'https://parking.example/' }).PUBLIC_URL).toBe('https://parking.example');
    expect(() => loadConfig({ PUBLIC_URL: 'parking.example' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ REFUND_FULL_HOURS: '-1' })).toThrow(/REFUND_FULL_HOURS/);
  });
});
