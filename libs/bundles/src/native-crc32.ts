import bufferCrc32 from 'buffer-crc32';
import zlib from 'node:zlib';

/**
 * yazl checksums every entry with buffer-crc32, a byte-at-a-time loop in JavaScript: in a CPU
 * profile of the server streaming a bundle's ZIP (`npm run bench:zip -- --profile`) it took 16 %
 * of all samples, nine times the AES-GCM decryption of the same bytes. yazl has no option for the
 * checksum, but its per-chunk watcher calls `unsigned(chunk, previous)` on buffer-crc32's exports
 * each time, so pointing that one function at Node's native `zlib.crc32` (the same CRC-32,
 * continued from a previous value) replaces the loop without forking yazl. The bundle archive's
 * spec checks that yazl's checksums go through it.
 */
export function useNativeCrc32ForZip(): void {
  bufferCrc32.unsigned = (input, previous) =>
    zlib.crc32(input, Buffer.isBuffer(previous) ? previous.readUInt32BE(0) : (previous ?? 0));
}
