/** Helpers for driving the widget in Chromium from the browser tests. Node-only test support. */
import type { Page } from 'playwright-core';

/** Debian's Chromium, and the flags it needs in a container (see docs/install-notes.md). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The widget's focused element, described as `tag.class#id` (or `none`). */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.querySelector('smart-parking-chat')?.shadowRoot?.activeElement;
    return a ? `${a.tagName.toLowerCase()}.${a.className}#${a.id}` : 'none';
  });
}

/** How many elements inside the widget's shadow root match a selector (-1: no widget). */
export async function shadowCount(page: Page, selector: string): Promise<number> {
  return page.evaluate(
    (s) => document.querySelector('smart-parking-chat')?.shadowRoot?.querySelectorAll(s).length ?? -1,
    selector,
  );
}

/** The localStorage key holding the widget's session token. */
export async function tokenKey(page: Page): Promise<string> {
  return page.evaluate(
    () => Object.keys(localStorage).find((k) => k.startsWith('smart-parking.chat.token@')) ?? '',
  );
}

/** The widget's stored session token, if any. */
export async function storedToken(page: Page): Promise<string | null> {
  const key = await tokenKey(page);
  return page.evaluate((k) => localStorage.getItem(k), key);
}
