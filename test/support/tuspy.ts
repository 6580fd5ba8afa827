import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TUSPY_VERSION = '1.1.0';
const VENV = path.join(os.homedir(), '.cache', 'strongroom', 'tuspy', TUSPY_VERSION);

/** tuspy (PyPI) in a virtualenv of its own, made once per machine; returns its python. */
export async function tuspyPython(): Promise<string> {
  const python = path.join(VENV, 'bin', 'python');
  if (!existsSync(path.join(VENV, '.installed'))) {
    await run('python3', ['-m', 'venv', VENV]);
    await run(python, ['-m', 'pip', 'install', '--quiet', `tuspy==${TUSPY_VERSION}`], {
      timeout: 180_000,
    });
    await run(python, ['-c', `open(${JSON.stringify(path.join(VENV, '.installed'))}, 'w')`]);
  }
  return python;
}

const UPLOAD_SCRIPT = `
import sys
from tusclient import client
endpoint, bearer, file_path, name, resume_url = sys.argv[1:6]
tus = client.TusClient(endpoint, headers={"Authorization": bearer})
uploader = tus.uploader(file_path=file_path, chunk_size=4 * 1024 * 1024,
                        metadata={"filename": name}, url=resume_url or None)
uploader.upload()
print(uploader.url)
`;

/** Uploads a file with tuspy (resuming `resumeUrl` when given); resolves with the upload URL. */
export async function tuspyUpload(
  endpoint: string,
  bearer: string,
  filePath: string,
  name: string,
  resumeUrl = '',
): Promise<string> {
  const python = await tuspyPython();
  const { stdout } = await run(
    python,
    ['-c', UPLOAD_SCRIPT, endpoint, bearer, filePath, name, resumeUrl],
    { timeout: 60_000 },
  );
  return stdout.trim();
}
