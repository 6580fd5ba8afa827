import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freeLoopbackPort, LOOPBACK, ServerProcess, tcpReplyStartsWith } from './server-process';

/** Debian's clamav-daemon (scripts/install-system-packages.sh installs it). */
export const CLAMD_BINARY = '/usr/sbin/clamd';
const READY_TIMEOUT_MS = 30_000;

/** The EICAR anti-virus test file: harmless, and detected as a virus by design. */
export const EICAR = Buffer.from(
  'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*',
  'latin1',
);
/** Our own body signature for EICAR (freshclam has no internet here, so there is no main.cvd). */
const EICAR_SIGNATURE_NAME = 'Strongroom.Test.EICAR';
/** clamd marks signatures that do not come from its official databases. */
export const EICAR_DETECTION = `${EICAR_SIGNATURE_NAME}.UNOFFICIAL`;

export interface ClamdStartOptions {
  /** Holds the configuration, the signature database and the logs. */
  workDir: string;
  /** clamd's StreamMaxLength, e.g. `100M`; must be at least the app's MAX_FILE_SIZE. */
  streamMaxLength?: string;
}

/** clamd on a free loopback TCP port with a one-signature database that detects EICAR. */
export class ClamdServer {
  private constructor(
    private readonly process: ServerProcess,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(options: ClamdStartOptions): Promise<ClamdServer> {
    if (!existsSync(CLAMD_BINARY)) {
      throw new Error(
        `${CLAMD_BINARY} is missing: install Debian's clamav-daemon (scripts/install-system-packages.sh)`,
      );
    }
    const databaseDir = path.join(options.workDir, 'db');
    await mkdir(databaseDir, { recursive: true });
    // An .ndb body signature: Name:TargetType(0 = any file):Offset(* = anywhere):HexBytes.
    await writeFile(
      path.join(databaseDir, 'strongroom-test.ndb'),
      `${EICAR_SIGNATURE_NAME}:0:*:${EICAR.toString('hex')}\n`,
    );
    const port = await freeLoopbackPort();
    const configFile = path.join(options.workDir, 'clamd.conf');
    await writeFile(
      configFile,
      [
        'Foreground yes',
        `TCPSocket ${port}`,
        `TCPAddr ${LOOPBACK}`,
        `DatabaseDirectory ${databaseDir}`,
        `StreamMaxLength ${options.streamMaxLength ?? '100M'}`,
        `LogFile ${path.join(options.workDir, 'clamd.log')}`,
        `PidFile ${path.join(options.workDir, 'clamd.pid')}`,
        `TemporaryDirectory ${options.workDir}`,
        // Nothing to gain from re-reading a database the test wrote once.
        'SelfCheck 0',
        '',
      ].join('\n'),
    );
    const server = ServerProcess.spawn({
      name: 'clamd',
      binary: CLAMD_BINARY,
      args: ['--config-file', configFile],
      logFile: path.join(options.workDir, 'clamd.out'),
    });
    await server.waitUntilReady(
      () => tcpReplyStartsWith(port, 'zPING\0', 'PONG'),
      READY_TIMEOUT_MS,
    );
    return new ClamdServer(server, LOOPBACK, port);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
