import { createInterface } from 'node:readline';

/** What readPassword needs of a terminal; process.stdin and process.stderr in real use. */
export interface PasswordStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  prompt: NodeJS.WritableStream;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = ['\u007f', '\b'];

/**
 * Reads a password from standard input, never from argv (visible in `ps` and shell history).
 * Piped: the first line. A terminal: typed without echo, then once more to catch typos.
 */
export async function readPassword(
  streams: PasswordStreams = { input: process.stdin, prompt: process.stderr },
): Promise<string> {
  if (!streams.input.isTTY) {
    const password = await readFirstLine(streams.input);
    if (!password) throw new Error('no password on standard input (give it as the first line)');
    return password;
  }
  const password = await readHidden(streams, 'Password: ');
  if (!password) throw new Error('no password given');
  if ((await readHidden(streams, 'Repeat the password: ')) !== password) {
    throw new Error('the two passwords differ');
  }
  return password;
}

function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
    let first: string | undefined;
    lines.once('line', (line) => {
      first = line;
      lines.close();
    });
    lines.once('close', () => resolve(first ?? ''));
    input.once('error', reject);
  });
}

function readHidden({ input, prompt }: PasswordStreams, label: string): Promise<string> {
  prompt.write(label);
  input.setRawMode?.(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = () => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      prompt.write('\n');
    };
    const onData = (chunk: string | Buffer) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === CTRL_D) {
          finish();
          return resolve(typed.join(''));
        }
        if (char === CTRL_C) {
          finish();
          return reject(new Error('cancelled'));
        }
        if (BACKSPACE.includes(char)) typed = typed.slice(0, -1);
        else if (char >= ' ') typed.push(char);
      }
    };
    input.on('data', onData);
  });
}
