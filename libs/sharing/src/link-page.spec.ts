import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LINK_PAGE_STYLE, type LinkPageDetails, relativeExpiry, renderLinkPage } from './link-page';

const APP_STYLES = path.resolve(__dirname, '../../../apps/web/src/styles.css');

/** The custom properties a stylesheet sets for the light theme and for the dark one. */
function tokens(css: string): { light: Map<string, string>; dark: Map<string, string> } {
  const [light, dark = ''] = css.split('@media (prefers-color-scheme: dark)');
  const read = (part: string) =>
    new Map([...part.matchAll(/(--[a-z-]+):\s*([^;]+);/g)].map(([, name, value]) => [name, value]));
  return { light: read(light), dark: read(dark.slice(0, dark.indexOf('}') + 1)) };
}

const NOW = new Date('2027-01-10T12:00:00Z');
const details: LinkPageDetails = {
  file: { name: 'Plan <b>.pdf', size: 2048 },
  sharer: { email: 'ada@example.com', displayName: 'Ada <Lovelace>' },
  expiresAt: new Date('2027-01-17T12:00:00Z'),
  downloadsLeft: 2,
};

describe('the link page', () => {
  it("uses the web app's colour tokens, in both themes", () => {
    const page = tokens(LINK_PAGE_STYLE);
    const app = tokens(readFileSync(APP_STYLES, 'utf8'));
    expect(page.light.size).toBeGreaterThan(5);
    expect(page.dark.size).toBe(page.light.size);
    for (const theme of ['light', 'dark'] as const) {
      for (const [name, value] of page[theme])
        expect([name, app[theme].get(name)]).toEqual([name, value]);
    }
  });

  it('names the sharer, the expiry in UTC and relative, and the downloads left, all escaped', () => {
    const html = renderLinkPage(
      { kind: 'download', details, formAction: '/s/t/download' },
      'n',
      NOW,
    );
    expect(html).toContain('<dd>Ada &lt;Lovelace&gt; (ada@example.com)</dd>');
    expect(html).toContain(
      '<time datetime="2027-01-17T12:00:00.000Z">17 January 2027 at 12:00 UTC</time> (in 7 days)',
    );
    expect(html).toContain('<dd>2 downloads left</dd>');
    expect(html).toContain('<h1>Plan &lt;b&gt;.pdf</h1>');
    expect(html).not.toContain('http-equiv="refresh"');
  });

  it('shows only the email when the sharer has no display name, and no limit when there is none', () => {
    const html = renderLinkPage(
      {
        kind: 'password',
        details: { ...details, sharer: { email: 'ada@example.com' }, downloadsLeft: null },
        formAction: '/s/t',
      },
      'n',
      NOW,
    );
    expect(html).toContain('<dd>ada@example.com</dd>');
    expect(html).not.toContain('Downloads');
  });

  it('starts the download without a script once the button was pressed', () => {
    const html = renderLinkPage(
      { kind: 'started', details, downloadUrl: '/api/v1/public/links/t/content?grant=a&b' },
      'n',
      NOW,
    );
    expect(html).toContain(
      '<meta http-equiv="refresh" content="0;url=/api/v1/public/links/t/content?grant=a&amp;b">',
    );
    expect(html).toContain('Your download has started');
    // The count shown would be the one before this download.
    expect(html).not.toContain('downloads left');
  });

  it.each([
    ['2027-01-10T12:00:30Z', 'in 1 minute'],
    ['2027-01-10T12:45:00Z', 'in 45 minutes'],
    ['2027-01-10T15:10:00Z', 'in 3 hours'],
    ['2027-01-11T12:00:00Z', 'tomorrow'],
    ['2027-04-10T12:00:00Z', 'in 90 days'],
  ])('says an expiry at %s is %s', (at, text) => {
    expect(relativeExpiry(new Date(at), NOW)).toBe(text);
  });

  describe('for a bundle', () => {
    const bundle: LinkPageDetails = {
      bundle: {
        name: 'Q3 <contracts>',
        files: [
          { id: 'a'.repeat(24), name: 'one <i>.pdf', size: 2048 },
          { id: 'b'.repeat(24), name: 'two.txt', size: 1024 },
        ],
      },
      sharer: { email: 'ada@example.com' },
      expiresAt: new Date('2027-01-17T12:00:00Z'),
      downloadsLeft: null,
    };

    it('lists every file with its size and its own button, then "Download all (ZIP)"', () => {
      const html = renderLinkPage(
        { kind: 'download', details: bundle, formAction: '/s/t/download' },
        'n',
        NOW,
      );
      expect(html).toContain('<h1>Q3 &lt;contracts&gt;</h1>');
      expect(html).toContain('<p class="size">2 files, 3 KB</p>');
      expect(html).toContain(
        '<span class="name">one &lt;i&gt;.pdf</span> <span class="size">2 KB</span>',
      );
      expect(html).toContain(`<input type="hidden" name="item" value="${'b'.repeat(24)}">`);
      expect(html).toContain(
        '<input type="hidden" name="item" value="archive"><button type="submit">Download all (ZIP)</button>',
      );
    });

    it('shows the list but no download before the password, and grant links after it', () => {
      const locked = renderLinkPage(
        { kind: 'password', details: bundle, formAction: '/s/t' },
        'n',
        NOW,
      );
      expect(locked).toContain('These files are protected by a password');
      expect(locked).toContain('two.txt');
      expect(locked).not.toContain('name="item"');
      const unlocked = renderLinkPage(
        {
          kind: 'unlocked',
          details: bundle,
          urls: { archive: '/z?grant=g&x', file: (id) => `/f/${id}?grant=g` },
        },
        'n',
        NOW,
      );
      expect(unlocked).toContain(`href="/f/${'a'.repeat(24)}?grant=g"`);
      expect(unlocked).toContain(
        'href="/z?grant=g&amp;x" rel="noreferrer" download>Download all (ZIP)</a>',
      );
      expect(unlocked).not.toContain('http-equiv="refresh"');
    });
  });
});
