/**
 * Collects a child's stream up to a byte cap. Past the cap it keeps accepting (and dropping) chunks:
 * a pipe nobody reads fills up (64 KiB on Linux) and blocks the writer, so a chatty flux would hang
 * until the timeout instead of finishing.
 */
export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private stored = 0;
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    if (this.truncated) return;
    const room = this.maxBytes - this.stored;
    if (chunk.length <= room) {
      this.chunks.push(chunk);
      this.stored += chunk.length;
      return;
    }
    if (room > 0) this.chunks.push(chunk.subarray(0, room));
    this.stored = this.maxBytes;
    this.truncated = true;
  }

  text(): string {
    const bytes = Buffer.concat(this.chunks);
    return (this.truncated ? bytes.subarray(0, utf8Boundary(bytes)) : bytes).toString('utf8');
  }
}

/** Length of `bytes` without a trailing, incomplete UTF-8 sequence (the cap may cut one in half). */
function utf8Boundary(bytes: Buffer): number {
  let start = bytes.length - 1;
  // Walk back over continuation bytes (10xxxxxx) to the lead byte of the last sequence.
  while (start >= 0 && start > bytes.length - 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
  if (start < 0) return bytes.length;
  const lead = bytes[start] ?? 0;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start >= needed ? bytes.length : start;
}
