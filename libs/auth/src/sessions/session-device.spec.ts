import { describeDevice } from './session-device';

describe('describeDevice', () => {
  it.each([
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      { label: 'Firefox 133 on Linux', browser: 'Firefox 133', os: 'Linux', type: 'desktop' },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      { label: 'Safari 17 on iOS', browser: 'Safari 17', os: 'iOS', type: 'mobile' },
    ],
    ['curl/8.5.0', { label: 'curl/8.5.0', browser: null, os: null, type: null }],
    [undefined, { label: 'Unknown device', browser: null, os: null, type: null }],
    ['   ', { label: 'Unknown device', browser: null, os: null, type: null }],
  ])('%s', (userAgent, device) => {
    expect(describeDevice(userAgent)).toEqual(device);
  });

  it('keeps a label short whatever the client sends', () => {
    expect(describeDevice('x'.repeat(256)).label).toHaveLength(80);
  });
});
