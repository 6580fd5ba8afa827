/**
 * AWS KMS for the aws-kms key provider: moto_server (PyPI's moto[server], installed by
 * `npm run python-tools:build`) on loopback, and a key made in it through the SDK, as an operator
 * would make one in AWS. moto accepts any credentials; the SDK's chain finds the ones the global
 * setup exports for MinIO.
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { createTempDir, MotoServer, type TempDir } from '@strongroom/testing';
import { requirePythonTool } from './python-tools';

export const KMS_REGION = 'eu-central-1';

export interface TestKms {
  server: MotoServer;
  endpoint: string;
  /** Starts moto again on the same port after `stop()`: keys made before are gone. */
  restart(): Promise<void>;
  /** A new symmetric key; resolves with its ARN. */
  createKey(): Promise<string>;
  stop(): Promise<void>;
  /** Stops the server and removes its log folder. */
  remove(): Promise<void>;
}

export async function startKms(): Promise<TestKms> {
  const python = requirePythonTool('moto');
  const dir: TempDir = await createTempDir('moto');
  let server = await MotoServer.start({ python, workDir: dir.path });
  const port = server.port;
  const kms: TestKms = {
    server,
    endpoint: server.endpoint,
    async restart() {
      server = await MotoServer.start({ python, workDir: dir.path, port });
      kms.server = server;
    },
    async createKey() {
      const client = new KMSClient({ region: KMS_REGION, endpoint: server.endpoint });
      try {
        const created = await client.send(new CreateKeyCommand({ Description: 'strongroom test' }));
        return created.KeyMetadata!.Arn!;
      } finally {
        client.destroy();
      }
    },
    stop: () => server.stop(),
    async remove() {
      await server.stop();
      await dir.remove();
    },
  };
  return kms;
}

/** The variables that make an app wrap new data keys with `keyArn` in this KMS. */
export function awsKmsEnv(kms: TestKms, keyArn: string, extra: Record<string, string> = {}) {
  return {
    KEY_PROVIDER: 'aws-kms',
    AWS_KMS_KEY_ID: keyArn,
    AWS_KMS_REGION: KMS_REGION,
    AWS_KMS_ENDPOINT: kms.endpoint,
    ...extra,
  };
}
