import { describe, expect, it } from 'vitest';
import { asActivity, asHistory, isFacilityFree, isSession } from './guards.ts';

const base = { id: 'a1', type: 'message', from: 'bot', timestamp: '2026-05-14T09:00:00Z' };
const facility = {
  facilityId: 'f1',
  name: 'Covent Garden',
  address: '12 Drury Lane',
  free: 3,
  total: 40,
  price: '£6.50/h',
};

describe('asActivity', () => {
  it('keeps a well-formed activity', () => {
    const a = asActivity({
      ...base,
      text: 'hi',
      suggestedActions: [{ title: 'Yes', value: 'yes' }],
      attachments: [
        {
          contentType: 'application/vnd.parking.facility-list+json',
          content: { title: 'Near you', facilities: [facility] },
        },
      ],
    });
    expect(a?.suggestedActions).toEqual([{ title: 'Yes', value: 'yes' }]);
    expect(a?.attachments).toHaveLength(1);
  });

  it('drops unknown or malformed attachments and buttons, not the message', () => {
    const a = asActivity({
      ...base,
      text: 'hi',
      suggestedActions: [{ title: 'ok', value: 'ok' }, { title: 3 }, null],
      attachments: [
        { contentType: 'application/x-weather', content: {} },
        { contentType: 'constructor', content: {} },
        { contentType: '__proto__', content: {} },
        { contentType: 'application/vnd.parking.booking+json', content: { title: 'x' } },
        {
          contentType: 'application/vnd.parking.facility-list+json',
          content: { title: 'Near you', facilities: [{ ...facility, free: '3' }] },
        },
      ],
    });
    expect(a?.text).toBe('hi');
    expect(a?.suggestedActions).toEqual([{ title: 'ok', value: 'ok' }]);
    expect(a?.attachments).toEqual([]);
  });

  it('keeps links and location requests, drops links that are not http(s), keeps unknown types as titles', () => {
    const a = asActivity({
      ...base,
      suggestedActions: [
        { type: 'openUrl', title: 'Pay', url: 'https://pay.example/x' },
        { type: 'openUrl', title: 'Bad', url: 'javascript:alert(1)' },
        { type: 'requestLocation', title: 'Share my location' },
        { type: 'postBack', title: 'Yes', value: 'yes' },
        { type: 'call', title: 'Call us', number: '+44' },
        { type: 7, title: 'odd' },
      ],
    });
    expect(a?.suggestedActions).toEqual([
      { type: 'openUrl', title: 'Pay', url: 'https://pay.example/x' },
      { type: 'requestLocation', title: 'Share my location' },
      { type: 'postBack', title: 'Yes', value: 'yes' },
      { type: 'call', title: 'Call us' },
    ]);
  });

  it('refuses what is not a message and defaults the sender to the bot', () => {
    expect(asActivity({ ...base, type: 'event' })).toBeUndefined();
    expect(asActivity({ ...base, id: 7 })).toBeUndefined();
    expect(asActivity(null)).toBeUndefined();
    expect(asActivity({ ...base, from: 'admin' })?.from).toBe('bot');
  });
});

describe('other events', () => {
  it('keeps the usable activities of a history', () => {
    expect(asHistory({ activities: [base, { id: 2 }, { ...base, id: 'a2' }] }).map((a) => a.id)).toEqual([
      'a1',
      'a2',
    ]);
    expect(asHistory('nonsense')).toEqual([]);
  });
  it('checks sessions and free counts', () => {
    expect(isSession({ token: 't', conversationId: 'c' })).toBe(true);
    expect(isSession({ token: 't' })).toBe(false);
    expect(isFacilityFree({ facilityId: 'f1', free: 2, total: 10 })).toBe(true);
    expect(isFacilityFree({ facilityId: 'f1', free: 2.5, total: 10 })).toBe(false);
  });
});
