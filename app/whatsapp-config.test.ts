import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const cloud = {
  WHATSAPP_TOKEN: 'EAAGtoken',
  WHATSAPP_PHONE_NUMBER_ID: '1234567890',
  WHATSAPP_APP_SECRET: 'app-secret',
  WHATSAPP_VERIFY_TOKEN: 'verify',
};

describe('WhatsApp settings', () => {
  it('are off by default, with Debian Chromium and the Graph API v23.0', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      WHATSAPP_WEB: false,
      CHROMIUM_PATH: '/usr/bin/chromium',
      WHATSAPP_TEMPLATE_LANGUAGE: 'en',
    });
    expect(c.WHATSAPP_TOKEN).toBeUndefined();
    expect(c.WHATSAPP_GRAPH_URL).toBe('https://graph.facebook.com/v23.0');
  });

  it('read the Cloud API credentials, templates and WhatsApp Web', () => {
    const c = loadConfig({
      ...cloud,
      WHATSAPP_TEMPLATE_NOTICE: 'parking_notice',
      WHATSAPP_WEB: '1',
      CHROMIUM_PATH: '/opt/chromium',
    });
    expect(c).toMatchObject({
      ...cloud,
      WHATSAPP_TEMPLATE_NOTICE: 'parking_notice',
      WHATSAPP_WEB: true,
      CHROMIUM_PATH: '/opt/chromium',
    });
  });

  it('some Cloud API credentials without the others stop start-up, naming the missing ones', () => {
    try {
      loadConfig({ WHATSAPP_TOKEN: 'EAAGsecret-token-value', WHATSAPP_APP_SECRET: 'x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'WHATSAPP_PHONE_NUMBER_ID',
        'WHATSAPP_VERIFY_TOKEN',
      ]);
      expect((e as Error).message).not.toContain('EAAGsecret-token-value');
    }
  });

  it.each([
    ['WHATSAPP_PHONE_NUMBER_ID', '+44 7700 900123'],
    ['WHATSAPP_GRAPH_URL', 'graph.facebook.com'],
    ['WHATSAPP_TEMPLATE_NOTICE', 'Parking Notice!'],
    ['WHATSAPP_WEB', 'maybe'],
  ])('a bad %s (%s) is named', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(variable);
  });
});
