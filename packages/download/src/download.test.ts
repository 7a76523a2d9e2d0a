import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { download } from './download.js';
import { DownloadError } from './errors.js';
import type { DownloadEvent } from './events.js';
import {
  type FixtureRoute,
  type FixtureServer,
  refusedUrl,
  startFixtureServer,
} from './testing/index.js';

const body = randomBytes(300_000);
const md5 = createHash('md5').update(body).digest('hex');
const sha256 = createHash('sha256').update(body).digest('hex');

let cacheDir: string;
let server: FixtureServer | undefined;

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'trainbook-download-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(cacheDir, { recursive: true, force: true });
});

async function serve(route: Partial<FixtureRoute> = {}) {
  server = await startFixtureServer({ '/file.bin': { body, ...route } });
  return server.url('/file.bin');
}

const fast = { retryDelayMs: 5, maxRetryDelayMs: 20 };

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

describe('download', () => {
  it('downloads, verifies and then reuses the cached file without a request', async () => {
    const url = await serve();
    const events: DownloadEvent['type'][] = [];
    const options = {
      url,
      cacheDir,
      fileName: 'file.bin',
      checksum: { algorithm: 'md5' as const, hex: md5 },
      expectedBytes: body.length,
      onProgress: (e: DownloadEvent) => events.push(e.type),
    };

    const first = await download(options);
    expect(first).toEqual({
      path: join(cacheDir, 'file.bin'),
      bytes: body.length,
      cached: false,
      attempts: 1,
    });
    expect(Buffer.compare(await readFile(first.path), body)).toBe(0);
    expect(events[0]).toBe('start');
    expect(events.at(-1)).toBe('done');

    const second = await download(options);
    expect(second.cached).toBe(true);
    expect(second.attempts).toBe(0);
    expect(server!.requests).toHaveLength(1);
    expect(events.at(-1)).toBe('cache-hit');
    expect(await readdir(cacheDir)).toEqual(['file.bin']);
  });

  it('accepts a sha256 checksum and a full dest path, creating missing folders', async () => {
    const url = await serve();
    const dest = join(cacheDir, 'a', 'b', 'weights.h5');
    const result = await download({
      url,
      dest,
      checksum: { algorithm: 'sha256', hex: sha256.toUpperCase() },
    });
    expect(result.path).toBe(dest);
    expect(
      createHash('sha256')
        .update(await readFile(dest))
        .digest('hex'),
    ).toBe(sha256);
  });

  it('rejects a wrong checksum naming the URL and both hashes, leaving nothing in the cache', async () => {
    const url = await serve();
    const wrong = 'f'.repeat(32);
    const error = await failure(
      download({ url, cacheDir, fileName: 'file.bin', checksum: { algorithm: 'md5', hex: wrong } }),
    );
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain(url);
    expect(error.message).toContain(wrong);
    expect(error.message).toContain(md5);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('resumes with a Range request after a cut-off transfer', async () => {
    const url = await serve({ cutOff: { times: 1, afterBytes: 100_000 }, etag: '"v1"' });
    const result = await download({
      url,
      cacheDir,
      fileName: 'file.bin',
      checksum: { algorithm: 'md5', hex: md5 },
      ...fast,
    });
    expect(result.attempts).toBe(2);
    expect(Buffer.compare(await readFile(result.path), body)).toBe(0);
    const [, retry] = server!.requests;
    expect(retry?.status).toBe(206);
    expect(Number(/bytes=(\d+)-/.exec(retry?.range ?? '')?.[1])).toBeGreaterThan(0);
    expect(retry?.ifRange).toBe('"v1"');
    expect(await readdir(cacheDir)).toEqual(['file.bin']);
  });

  it('starts over when the server ignores Range after a cut-off', async () => {
    const url = await serve({ ranges: false, cutOff: { times: 2, afterBytes: 50_000 } });
    const result = await download({
      url,
      cacheDir,
      fileName: 'file.bin',
      checksum: { algorithm: 'md5', hex: md5 },
      ...fast,
    });
    expect(result.attempts).toBe(3);
    expect(server!.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(Buffer.compare(await readFile(result.path), body)).toBe(0);
  });

  it('gives a clear error when every attempt is cut off, leaving no temp file', async () => {
    const url = await serve({
      ranges: false,
      cutOff: { times: Number.POSITIVE_INFINITY, afterBytes: 1000 },
    });
    const error = await failure(
      download({
        url,
        cacheDir,
        fileName: 'file.bin',
        checksum: { algorithm: 'md5', hex: md5 },
        retries: 2,
        ...fast,
      }),
    );
    expect(error.code).toBe('CUT_OFF');
    expect(server!.requests).toHaveLength(3);
    expect(error.message).toContain(`the transfer from ${url} broke off on all 3 attempts`);
    expect(error.message).toContain(`of ${body.length.toLocaleString('en-US')} bytes`);
    expect(error.message).toContain(join(cacheDir, 'file.bin'));
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('treats a stalled transfer as cut off and retries it', async () => {
    const url = await serve({ stall: { times: 1, afterBytes: 10_000 } });
    const reasons: string[] = [];
    const result = await download({
      url,
      cacheDir,
      fileName: 'file.bin',
      checksum: { algorithm: 'md5', hex: md5 },
      stallTimeoutMs: 300,
      onProgress: (e) => e.type === 'retry' && reasons.push(e.reason),
      ...fast,
    });
    expect(result.attempts).toBe(2);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('no data for 300 ms');
  });

  it('does not retry a 404 and says what to do by hand', async () => {
    server = await startFixtureServer({});
    const url = server.url('/missing.tar.gz');
    const error = await failure(
      download({
        url,
        cacheDir,
        fileName: 'missing.tar.gz',
        checksum: { algorithm: 'md5', hex: md5 },
        expectedBytes: 1234,
        ...fast,
      }),
    );
    expect(error.code).toBe('HTTP_STATUS');
    expect(server.requests).toHaveLength(1);
    expect(error.message).toContain(`${url} answered 404 Not Found`);
    expect(error.message).toContain(
      `save it as ${join(cacheDir, 'missing.tar.gz')} (md5 ${md5}, 1,234 bytes)`,
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('retries a 500 and reports it when it persists', async () => {
    const url = await serve({ fail: { times: Number.POSITIVE_INFINITY, status: 500 } });
    const error = await failure(
      download({
        url,
        cacheDir,
        fileName: 'file.bin',
        checksum: { algorithm: 'md5', hex: md5 },
        retries: 1,
        ...fast,
      }),
    );
    expect(error.code).toBe('HTTP_STATUS');
    expect(server!.requests).toHaveLength(2);
    expect(error.message).toContain('answered 500 Internal Server Error (2 attempts)');
  });

  it('recovers when a 503 passes', async () => {
    const url = await serve({ fail: { times: 1, status: 503 } });
    const result = await download({
      url,
      cacheDir,
      fileName: 'file.bin',
      checksum: { algorithm: 'md5', hex: md5 },
      ...fast,
    });
    expect(result.attempts).toBe(2);
  });

  it('reports connection refused with the file needed and where to put it', async () => {
    const url = await refusedUrl('/cifar-10-binary.tar.gz');
    const error = await failure(
      download({
        url,
        cacheDir,
        fileName: 'cifar-10-binary.tar.gz',
        checksum: { algorithm: 'md5', hex: md5 },
        retries: 1,
        hint: 'Or pass --data with a local copy.',
        ...fast,
      }),
    );
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain('Could not download cifar-10-binary.tar.gz');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain(`save it as ${join(cacheDir, 'cifar-10-binary.tar.gz')}`);
    expect(error.message).toContain('Or pass --data with a local copy.');
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('stops before downloading when the server announces another size', async () => {
    const url = await serve();
    const error = await failure(
      download({
        url,
        cacheDir,
        fileName: 'file.bin',
        checksum: { algorithm: 'md5', hex: md5 },
        expectedBytes: body.length + 1,
      }),
    );
    expect(error.code).toBe('SIZE_MISMATCH');
    expect(error.message).toContain(
      `the server says the file has ${body.length.toLocaleString('en-US')} bytes`,
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('replaces a cached file whose checksum is wrong', async () => {
    const url = await serve();
    const dest = join(cacheDir, 'file.bin');
    await writeFile(dest, 'not the file');
    const reasons: string[] = [];
    const result = await download({
      url,
      dest,
      checksum: { algorithm: 'md5', hex: md5 },
      onProgress: (e) => e.type === 'cache-invalid' && reasons.push(e.reason),
    });
    expect(result.cached).toBe(false);
    expect(reasons[0]).toContain(`expected ${md5}`);
    expect(Buffer.compare(await readFile(dest), body)).toBe(0);
  });

  it('removes temp files left by a process that died, and keeps live ones', async () => {
    const url = await serve();
    const dest = join(cacheDir, 'file.bin');
    const dead = `${dest}.${unusedPid()}-deadbeef.part`;
    const live = `${dest}.${process.pid}-0badf00d.part`;
    await writeFile(dead, 'x');
    await writeFile(live, 'y');
    await download({ url, dest, checksum: { algorithm: 'md5', hex: md5 } });
    expect((await readdir(cacheDir)).sort()).toEqual([
      'file.bin',
      `file.bin.${process.pid}-0badf00d.part`,
    ]);
  });

  it('stops when the caller aborts, leaving nothing behind', async () => {
    const url = await serve({ stall: { times: 1, afterBytes: 1000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(
      download({
        url,
        cacheDir,
        fileName: 'file.bin',
        checksum: { algorithm: 'md5', hex: md5 },
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects bad options naming the field', async () => {
    await expect(
      download({
        url: 'http://127.0.0.1/x',
        cacheDir,
        fileName: 'x',
        checksum: { algorithm: 'md5', hex: 'abc' },
      }),
    ).rejects.toThrow(/checksum\.hex: an md5 digest has 32 hex digits/);
    await expect(
      download({
        url: 'ftp://example/x',
        dest: join(cacheDir, 'x'),
        checksum: { algorithm: 'md5', hex: md5 },
      }),
    ).rejects.toThrow(/url: expected an http:\/\/ or https:\/\/ URL/);
    await expect(
      download({ url: 'http://127.0.0.1/x', cacheDir, checksum: { algorithm: 'md5', hex: md5 } }),
    ).rejects.toThrow(/fileName: give dest, or both cacheDir and fileName/);
  });
});

function unusedPid(): number {
  for (let pid = 4_000_000; ; pid -= 1) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}
