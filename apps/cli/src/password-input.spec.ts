import { PassThrough } from 'node:stream';
import { type PasswordStreams, readPassword } from './password-input';

function piped(text: string): PasswordStreams & { prompt: PassThrough } {
  const input = new PassThrough();
  input.end(text);
  return { input, prompt: new PassThrough() };
}

/** A fake terminal: answers each prompt with the next entry, keystroke by keystroke. */
function terminal(...answers: string[]) {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: jest.fn(),
  });
  const prompt = new PassThrough();
  let shown = '';
  prompt.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    if (/: $/.test(shown) && answers.length > 0) {
      shown = '';
      for (const key of answers.shift()!) input.write(key);
    }
  });
  return { streams: { input, prompt }, input };
}

describe('readPassword from a pipe', () => {
  it.each([
    ['a line', 'copper kettle orbit\n', 'copper kettle orbit'],
    ['a CRLF line', 'copper kettle orbit\r\n', 'copper kettle orbit'],
    ['text without a final newline', 'copper kettle orbit', 'copper kettle orbit'],
    ['only the first of several lines', 'first line\nsecond line\n', 'first line'],
    ['spaces at both ends', '  spaced out  \n', '  spaced out  '],
  ])('reads %s', async (_case, text, expected) => {
    const streams = piped(text);
    await expect(readPassword(streams)).resolves.toBe(expected);
    expect(streams.prompt.read()).toBeNull();
  });

  it.each([
    ['nothing', ''],
    ['an empty first line', '\nsecond\n'],
  ])('refuses %s', async (_case, text) => {
    await expect(readPassword(piped(text))).rejects.toThrow(/no password on standard input/);
  });
});

describe('readPassword from a terminal', () => {
  it('prompts twice without echoing and restores the terminal', async () => {
    const { streams, input } = terminal('secret words\r', 'secret words\r');
    const written: string[] = [];
    streams.prompt.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    await expect(readPassword(streams)).resolves.toBe('secret words');
    expect(written.join('')).toBe('Password: \nRepeat the password: \n');
    expect(input.setRawMode.mock.calls).toEqual([[true], [false], [true], [false]]);
  });

  it('honours backspace', async () => {
    const { streams } = terminal('secrex\u007ft\r', 'secret\r');
    await expect(readPassword(streams)).resolves.toBe('secret');
  });

  it('refuses two different entries', async () => {
    const { streams } = terminal('secret one\r', 'secret two\r');
    await expect(readPassword(streams)).rejects.toThrow('the two passwords differ');
  });

  it('stops on Ctrl-C', async () => {
    const { streams, input } = terminal('sec\u0003');
    await expect(readPassword(streams)).rejects.toThrow('cancelled');
    expect(input.setRawMode).toHaveBeenLastCalledWith(false);
  });
});
