import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Readable } from 'node:stream';
import { streamTarball, TarballTooLarge, type TarballRequest } from '../../lib/adapters/github';
import { startStalledBody } from '../fakes/black-hole';
import { INSTALLATION, startHarness, type Harness } from './harness';

const SHA = '0123456789abcdef0123456789abcdef01234567';

async function collect(archive: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('streamTarball', () => {
  let h: Harness;
  let tarball: Buffer;
  beforeEach(async () => {
    h = await startHarness();
    tarball = gzipSync(randomBytes(400_000));
    h.github.setTarball('acme/fleet', SHA, tarball);
  });
  afterEach(async () => {
    await h.github.stop();
  });
  /** The archive read whole, as a consumer that keeps every byte would. */
  const download = (request: TarballRequest) => streamTarball(h.app.forInstallation(INSTALLATION), request, collect);

  it('follows GitHub’s redirect to the archive host and returns the exact bytes', async () => {
    // Act
    const bytes = await download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000 });

    // Assess
    expect(bytes.equals(tarball)).toBe(true);
    expect(h.github.requests.map((r) => `${r.method} ${r.path.replace(/\/_codeload\/.*/, '/_codeload/…')} ${r.auth}`)).toEqual([
      `POST /app/installations/${INSTALLATION}/access_tokens jwt`,
      `GET /repos/acme/fleet/tarball/${SHA} installation`,
      'GET /_codeload/… none',
    ]);
  });

  it('downloads over node:http, without Node’s own fetch (undici costs a cold worker ~30 ms of CPU to load, and WHATWG streams cost every chunk)', async () => {
    // Prepare: a global fetch that must not be called.
    const original = globalThis.fetch;
    let called = 0;
    globalThis.fetch = () => {
      called++;
      return Promise.reject(new Error('global fetch used'));
    };

    try {
      // Act
      const bytes = await download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000 });

      // Assess
      expect(bytes.equals(tarball)).toBe(true);
      expect(called).toBe(0);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('serves an archive answered 200 by the API itself (GitHub Enterprise Server) as a stream, past the client’s JSON reading', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', SHA, tarball, { inline: true });

    // Act
    const bytes = await download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000 });

    // Assess
    expect(bytes.equals(tarball)).toBe(true);
    expect(h.github.requests.some((r) => r.path.startsWith('/_codeload/'))).toBe(false);
  });

  it('never sends the installation token to the archive host, even on the same origin', async () => {
    // Act
    await download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000 });

    // Assess
    const codeload = h.github.requests.filter((r) => r.path.startsWith('/_codeload/'));
    expect(codeload).toHaveLength(1);
    expect(codeload[0]?.authorizationSent).toBe(false);
  });

  it('aborts past maxBytes with TarballTooLarge', async () => {
    // Act
    const failure = download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 100_000 });

    // Assess
    await expect(failure).rejects.toThrow(TarballTooLarge);
    await expect(failure).rejects.toMatchObject({ name: 'TarballTooLarge', maxBytes: 100_000 });
  });

  it('accepts a tarball of exactly maxBytes', async () => {
    // Act
    const bytes = await download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: tarball.length });

    // Assess
    expect(bytes).toHaveLength(tarball.length);
  });

  it('says which ref is missing when GitHub has no such commit', async () => {
    // Act
    const failure = download({ owner: 'acme', repo: 'fleet', ref: 'f'.repeat(40), maxBytes: 1_000 });

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'GithubError' });
    await expect(failure).rejects.toThrow(`acme/fleet has no commit or ref ${'f'.repeat(40)}`);
  });

  it('retries a 5xx of the API before the redirect', async () => {
    // Prepare
    h.github.failNext({ method: 'GET', path: /\/tarball\// }, [{ status: 502 }]);

    // Act
    const bytes = await download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000 });

    // Assess
    expect(bytes.equals(tarball)).toBe(true);
  });

  it('reports a failing archive host without leaking its tokenised URL', async () => {
    // Prepare
    h.github.failNext({ method: 'GET', path: /^\/_codeload\// }, [{ status: 503 }]);

    // Act
    const failure = download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000 });

    // Assess
    await expect(failure).rejects.toThrow(/the archive host answered 503/);
    await expect(failure).rejects.not.toThrow(/token=/);
  });

  it('hands the archive over as it arrives, and the consumer’s own failure cancels the download', async () => {
    // Prepare: the first 64 KiB of the archive, then nothing; a consumer that gives up after its first chunk.
    const stalled = await startStalledBody({ 'content-type': 'application/x-gzip' }, tarball.subarray(0, 65_536));
    h.github.setTarball('acme/fleet', SHA, tarball, { archiveUrl: stalled.url });
    let received = 0;
    const givesUp = async (archive: Readable) => {
      for await (const chunk of archive) {
        received += (chunk as Buffer).length;
        throw new Error('consumer refused the archive');
      }
    };

    try {
      // Act
      const failure = streamTarball(h.app.forInstallation(INSTALLATION), { owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000, timeoutMs: 60_000 }, givesUp);

      // Assess: the consumer's error, not a timeout, long before the 60 s budget; the stalled host's connection closed.
      await expect(failure).rejects.toThrow('consumer refused the archive');
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThanOrEqual(65_536);
      await expect.poll(() => stalled.openConnections(), { timeout: 10_000 }).toBe(0);
    } finally {
      await stalled.stop();
    }
  });

  it('fails with a clear message when the archive host sends headers and then stalls mid-body', async () => {
    // Prepare: the first 64 KiB of the archive, then nothing.
    const stalled = await startStalledBody({ 'content-type': 'application/x-gzip' }, tarball.subarray(0, 65_536));
    h.github.setTarball('acme/fleet', SHA, tarball, { archiveUrl: stalled.url });

    try {
      // Act
      const failure = download({ owner: 'acme', repo: 'fleet', ref: SHA, maxBytes: 10_000_000, timeoutMs: 200 });

      // Assess
      await expect(failure).rejects.toMatchObject({ name: 'TarballTimedOut' });
      await expect(failure).rejects.toThrow(`downloading the tarball of acme/fleet@${SHA} did not finish within 0.2 s (the archive host stalled); run the diff again`);
      await expect(failure).rejects.not.toThrow(/token=/);
      expect(stalled.connections()).toBe(1);
    } finally {
      await stalled.stop();
    }
  });
});
