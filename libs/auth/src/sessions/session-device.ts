import Bowser from 'bowser';

export interface SessionDevice {
  /** What a person recognises in a list: `Firefox 133 on Linux`, `curl/8.5.0`. */
  label: string;
  browser: string | null;
  os: string | null;
  /** desktop, mobile, tablet, tv, bot; null when the User-Agent does not say. */
  type: string | null;
}

const MAX_LABEL = 80;
const orNull = (value: string | undefined) => (value ? value : null);

/** The device a session signed in from, as far as its User-Agent tells (bowser, MIT). */
export function describeDevice(userAgent: string | undefined): SessionDevice {
  const agent = userAgent?.trim() ?? '';
  if (!agent) return { label: 'Unknown device', browser: null, os: null, type: null };
  const parsed = Bowser.parse(agent);
  const majorVersion = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name
    ? [parsed.browser.name, majorVersion].filter(Boolean).join(' ')
    : null;
  const os = orNull(parsed.os.name);
  // Scripts and CLI tools: their first product token says more than nothing.
  const label = browser
    ? [browser, os && `on ${os}`].filter(Boolean).join(' ')
    : agent.split(/\s/)[0];
  return {
    label: label.slice(0, MAX_LABEL),
    browser,
    os,
    type: orNull(parsed.platform.type),
  };
}
