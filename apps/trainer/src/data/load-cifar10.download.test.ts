import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadError } from '@trainbook/download';
import { type FixtureServer, startFixtureServer } from '@trainbook/download/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { officialArchive } from './cifar10-format.js';
import { loadCifar10 } from './load-cifar10.js';
import { writeFixtureArchive } from './testing/cifar10-fixture.js';

let work: string;
let cacheDir: string;
let archive: Buffer;
let md5: string;
let server: FixtureServer | undefined;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-cifar-dl-'));
  cacheDir = join(work, 'cache');
  // Enough records that the archive spans several TCP reads, so a cut-off lands mid-file.
  archive = await readFile(
    await writeFixtureArchive(join(work, 'src'), {
      trainRecords: [40, 40, 40, 40, 40],
      testRecords: 50,
    }),
  );
  md5 = createHash('md5').update(archive).digest('hex');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(work, { recursive: true, force: true });
});

async function downloadError(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

describe('loadCifar10 from a URL', () => {
  it('retries a cut-off download, resuming it, then reuses the cached archive', async () => {
    server = await startFixtureServer({
      '/cifar-10-binary.tar.gz': {
        body: archive,
        cutOff: { times: 1, afterBytes: Math.floor(archive.length / 2) },
        etag: '"a"',
      },
    });
    const url = server.url('/cifar-10-binary.tar.gz');
    const options = {
      data: url,
      cacheDir,
      checksum: { algorithm: 'md5' as const, hex: md5 },
      expectedBytes: archive.length,
      retryDelayMs: 5,
    };

    const first = await loadCifar10(options);
    expect(first.train.count).toBe(200);
    expect(first.test.count).toBe(50);
    expect(first.source).toMatchObject({
      kind: 'archive',
      url,
      downloaded: true,
      path: join(cacheDir, 'cifar-10-binary.tar.gz'),
    });
    expect(server.requests.map((r) => r.status)).toEqual([200, 206]);
    expect(await readdir(cacheDir)).toEqual(['cifar-10-binary.tar.gz']);

    const second = await loadCifar10(options);
    expect(second.source).toMatchObject({ downloaded: false });
    expect(server.requests).toHaveLength(2);
    expect(Buffer.compare(second.train.images, first.train.images)).toBe(0);
  });

  it('takes a URL to be a mirror of the official archive unless told its checksum', async () => {
    server = await startFixtureServer({ '/mirror/cifar-10-binary.tar.gz': { body: archive } });
    const url = server.url('/mirror/cifar-10-binary.tar.gz');
    const error = await downloadError(loadCifar10({ data: url, cacheDir }));
    // The fixture is not 170,052,171 bytes long, so the size check stops it before any body is read.
    expect(error.code).toBe('SIZE_MISMATCH');
    expect(error.message).toContain(`expected ${officialArchive.bytes.toLocaleString('en-US')}`);
    expect(error.message).toContain(`(md5 ${officialArchive.md5}, 170,052,171 bytes)`);
    expect(error.message).toContain('--data');
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects a wrong checksum and leaves nothing half-written in the cache', async () => {
    server = await startFixtureServer({ '/cifar-10-binary.tar.gz': { body: archive } });
    const url = server.url('/cifar-10-binary.tar.gz');
    const wrong = '0'.repeat(32);
    const error = await downloadError(
      loadCifar10({ data: url, cacheDir, checksum: { algorithm: 'md5', hex: wrong } }),
    );
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain(url);
    expect(error.message).toContain(`expected ${wrong}, got ${md5}`);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('says which file to put where when the server is unreachable', async () => {
    const { refusedUrl } = await import('@trainbook/download/testing');
    const url = await refusedUrl('/cifar-10-binary.tar.gz');
    const error = await downloadError(loadCifar10({ data: url, cacheDir, retries: 0 }));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain(`save it as ${join(cacheDir, 'cifar-10-binary.tar.gz')}`);
    expect(error.message).toContain('--data');
  });
});
