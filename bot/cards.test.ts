import { describe, expect, it } from 'vitest';
import { LOCATION_REQUEST, actionsOf, fromCardAction, toCardAction, type SuggestedAction } from './cards.ts';
import { button, openUrl, reply, requestLocation } from './turn.ts';

describe('channel-neutral actions', () => {
  it('travel on a botbuilder activity and come back the same', () => {
    const actions: SuggestedAction[] = [
      button('Book it', 'confirm:yes'),
      openUrl('Pay now', 'https://pay.example/cp-7q2k'),
      requestLocation('Share my location'),
    ];
    const activity = reply('Ready?', actions);
    expect(activity.suggestedActions?.actions).toEqual([
      { type: 'postBack', title: 'Book it', value: 'confirm:yes' },
      { type: 'openUrl', title: 'Pay now', value: 'https://pay.example/cp-7q2k' },
      // a renderer that only knows postBacks still offers the widget's location button value
      { type: 'requestLocation', title: 'Share my location', value: LOCATION_REQUEST },
    ]);
    expect(actionsOf(activity)).toEqual(actions);
  });

  it('reads other button kinds as postBacks, and never passes on a link that is not http(s)', () => {
    expect(fromCardAction({ type: 'imBack', title: 'Yes', value: 'yes' })).toEqual({
      title: 'Yes',
      value: 'yes',
    });
    expect(fromCardAction({ type: 'imBack', value: 'only a value' })).toEqual({
      title: 'only a value',
      value: 'only a value',
    });
    expect(fromCardAction({ type: 'openUrl', title: 'x', value: 'javascript:alert(1)' })).toBeNull();
    expect(fromCardAction({ type: 'postBack' })).toBeNull();
    expect(toCardAction({ title: 'Legacy', value: 'v' })).toEqual({
      type: 'postBack',
      title: 'Legacy',
      value: 'v',
    });
  });
});
