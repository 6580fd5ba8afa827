import { renderUploadRequestPage, type UploadRequestPageDetails } from './upload-request-page';

const NOW = new Date('2027-01-10T12:00:00Z');
const details: UploadRequestPageDetails = {
  title: 'Scans <b>now</b>',
  message: 'Line one\n<script>alert(1)</script>',
  requester: { email: 'ada@example.com', displayName: 'Ada "Admin"' },
  expiresAt: new Date('2027-01-17T12:00:00Z'),
  filesLeft: 3,
  bytesLeft: 2048,
  maxFileSize: 50 * 1024 * 1024,
  uploads: [{ name: 'a<b>.pdf', size: 1024, uploadedAt: NOW }],
};
const render = (view: Parameters<typeof renderUploadRequestPage>[0]) =>
  renderUploadRequestPage(view, 'n0nce', NOW);

describe('the upload request page', () => {
  it('escapes every value and carries no script', () => {
    const html = render({ kind: 'upload', details, formAction: '/r/tok' });
    expect(html).toContain('Scans &lt;b&gt;now&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Ada &quot;Admin&quot; (ada@example.com)');
    expect(html).toContain('a&lt;b&gt;.pdf');
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain('<style nonce="n0nce">');
  });

  it('offers a labelled multipart form, the limits left and what this visit sent', () => {
    const html = render({
      kind: 'upload',
      details,
      formAction: '/r/tok',
      notice: { tone: 'info', text: '“x” was sent.' },
    });
    expect(html).toContain('<form method="post" action="/r/tok" enctype="multipart/form-data">');
    expect(html).toContain('<label for="file">');
    expect(html).toContain('<input id="file" name="file" type="file" required');
    expect(html).toContain('<dt>Files left</dt><dd>3</dd>');
    expect(html).toContain('<dt>Space left</dt><dd>2 KB</dd>');
    expect(html).toContain('(in 7 days)');
    expect(html).toContain('role="status">“x” was sent.');
    expect(html).toContain('<h2>You sent</h2>');
  });

  it('asks for the password before any file form, with the error in an alert', () => {
    const html = render({
      kind: 'password',
      details: { ...details, uploads: [] },
      formAction: '/r/tok/unlock',
      error: 'Wrong password',
    });
    expect(html).toContain('action="/r/tok/unlock"');
    expect(html).toContain('type="password"');
    expect(html).toContain('role="alert">Wrong password');
    expect(html).not.toContain('type="file"');
  });

  it('has no form once the request is full, and names nobody when it is gone', () => {
    expect(render({ kind: 'full', details })).not.toContain('<form');
    const dead = render({ kind: 'dead', heading: 'Gone', message: 'Ask for a new link' });
    expect(dead).toContain('<h1>Gone</h1>');
    expect(dead).not.toContain('ada@example.com');
  });
});
