import os from 'node:os';
import path from 'node:path';
// Relative, not @strongroom/embedded-db: jest's global setup loads this without the path aliases.
import { ensureCachedGoBuild, runCommand, strongroomCacheDir } from '../../../embedded-db/src';

export interface EnsureGoToolOptions {
  log?: (msg: string) => void;
  /** Go build tags (`go install -tags`). */
  buildTags?: readonly string[];
}

/** Where ensureGoTool keeps a tool: <cache>/<name>/<version>/<last element of the package path>. */
export function goToolPath(name: string, packagePath: string, version: string): string {
  return path.join(strongroomCacheDir(name, version), path.basename(packagePath));
}

/**
 * Returns the path of `go install <packagePath>@<version>`, building it from the Go module proxy
 * when missing. Binaries are cached in ~/.cache/strongroom/<name>/<version>/, so a pinned version
 * is built once per machine.
 */
export function ensureGoTool(
  name: string,
  packagePath: string,
  version: string,
  options: EnsureGoToolOptions = {},
): Promise<string> {
  const target = `${packagePath}@${version}`;
  const tags = options.buildTags?.length ? [`-tags=${options.buildTags.join(',')}`] : [];
  return ensureCachedGoBuild({
    binaryPath: goToolPath(name, packagePath, version),
    description: target,
    build: (go, outDir) =>
      runCommand(go, ['install', '-trimpath', '-ldflags=-s -w', ...tags, target], {
        // Outside any module, so the repository's own go.mod (if any) plays no part.
        cwd: os.tmpdir(),
        env: { GOBIN: outDir, CGO_ENABLED: '0' },
      }),
    purpose: `build ${name} for the tests`,
    log: options.log,
  });
}
