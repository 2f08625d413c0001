import { gzipSync } from 'node:zlib';

/** Tar type flags (POSIX ustar): what a hostile archive may claim an entry is. */
export const TAR_TYPE = { file: '0', hardlink: '1', symlink: '2', charDevice: '3', directory: '5', fifo: '6' } as const;
export type TarType = (typeof TAR_TYPE)[keyof typeof TAR_TYPE];

/**
 * One raw tar header + body, for entries a well-behaved archiver would never write (`..`, links out,
 * devices). `declaredSize` lets a header lie about its body.
 */
export function rawEntry(path: string, body: string | Buffer = '', type: TarType = '0', linkpath = '', declaredSize?: number): Buffer {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const header = Buffer.alloc(512);
  header.write(path, 0, 100);
  header.write(type === '5' ? '0000755\0' : '0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${(declaredSize ?? data.length).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write(type, 156);
  header.write(linkpath, 157, 100);
  header.write('ustar\0', 257);
  header.write('00', 263);
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded]);
}

/** A gzipped tar of these entries and the two zero blocks that end an archive. */
export const rawArchive = (...entries: Buffer[]): Buffer => gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
