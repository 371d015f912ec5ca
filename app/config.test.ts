import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './.data',
      HOLD_MINUTES: 15,
      API_KEYS: [],
      SEED_DEMO: 'auto',
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses real settings', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/parking',
      API_KEYS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb',
      HOLD_MINUTES: '10',
    });
    expect(c).toMatchObject({
      PORT: 8080,
      HOLD_MINUTES: 10,
      API_KEYS: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['HOLD_MINUTES', '0'],
    ['API_KEYS', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['SEED_DEMO', 'maybe'],
  ])('stops with a message naming %s when it is %s', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
      expect((e as Error).message).toContain(variable);
      // a bad value is never echoed back (it could be a secret)
      if (value.length > 5) expect((e as Error).message).not.toContain(value);
    }
  });

  it('reads the Telegram settings, refusing a malformed token or secret without echoing it', () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456789:AAE_abcdefghijklmnopqrstuvwxyz012345',
      TELEGRAM_WEBHOOK_URL: 'https://parking.example',
    });
    expect(c).toMatchObject({
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      TELEGRAM_WEBHOOK_URL: 'https://parking.example',
    });
    for (const [variable, value] of [
      ['TELEGRAM_BOT_TOKEN', 'AAE_secret-token-without-bot-id'],
      ['TELEGRAM_WEBHOOK_SECRET', 'has spaces and ! marks'],
      ['TELEGRAM_API_ROOT', 'ftp://api.example'],
    ] as const) {
      expect(() => loadConfig({ [variable]: value })).toThrow(variable);
      expect(() => loadConfig({ [variable]: value })).not.toThrow(value);
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('reads the support console settings, and wants all three OIDC settings or none', () => {
    const c = loadConfig({
      AGENT_ADMIN_EMAIL: 'ops@operator.example',
      AGENT_ADMIN_PASSWORD: 'a long admin password',
      HANDOFF_WAIT_MINUTES: '5',
      OIDC_ISSUER_URL: 'https://example.eu.auth0.com/',
      OIDC_CLIENT_ID: 'console',
      OIDC_CLIENT_SECRET: 'secret',
    });
    expect(c).toMatchObject({
      AGENT_ADMIN_EMAIL: 'ops@operator.example',
      HANDOFF_WAIT_MINUTES: 5,
      AGENT_SESSION_HOURS: 12,
    });
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://example.eu.auth0.com/' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => loadConfig({ AGENT_ADMIN_PASSWORD: 'short' })).toThrow(/AGENT_ADMIN_PASSWORD/);
    expect(() => loadConfig({ AGENT_ADMIN_EMAIL: 'not an email' })).toThrow(/AGENT_ADMIN_EMAIL/);
  });
});
