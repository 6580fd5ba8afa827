import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requirePythonTool } from './python-tools';

const run = promisify(execFile);

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
  const python = requirePythonTool('tuspy');
  const { stdout } = await run(
    python,
    ['-c', UPLOAD_SCRIPT, endpoint, bearer, filePath, name, resumeUrl],
    { timeout: 60_000 },
  );
  return stdout.trim();
}
