import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { refusedUrl, startFixtureServer } from '@trainbook/download/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadVgg16ImagenetWeights,
  resolveVgg16Weights,
  VGG16_NOTOP_WEIGHTS,
  type WeightsFile,
} from './imagenet-weights.js';
import { randomVgg16Weights, writeKerasWeightsFile } from './testing/keras-h5.js';
import { buildVgg16Base } from './vgg16.js';

const dir = mkdtempSync(join(tmpdir(), 'trainbook-imagenet-'));
let h5Bytes: Uint8Array;
let server: Awaited<ReturnType<typeof startFixtureServer>>;
const small = new TextEncoder().encode(
  'not really weights, but bytes with a known md5\n'.repeat(500),
);
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

function fileAt(path: string, body: Uint8Array, overrides: Partial<WeightsFile> = {}): WeightsFile {
  return {
    url: server.url(path),
    fileName: 'weights.h5',
    md5: md5(body),
    bytes: body.length,
    ...overrides,
  };
}
const freshCache = () => mkdtempSync(join(dir, 'cache-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
  const h5Path = join(dir, 'vgg16.h5');
  await writeKerasWeightsFile(h5Path, randomVgg16Weights(11), 'flat');
  h5Bytes = readFileSync(h5Path);
  server = await startFixtureServer({
    '/small.h5': { body: small },
    '/vgg16.h5': { body: h5Bytes },
    '/cut.h5': { body: small, ranges: false, cutOff: { times: 100, afterBytes: 1000 } },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('resolveVgg16Weights', () => {
  it("points at Keras' published file", () => {
    expect(VGG16_NOTOP_WEIGHTS).toEqual({
      url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
      fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
      md5: '6d6bbae143d832006294945121d1f1fc',
      bytes: 58_889_256,
    });
  });

  it('downloads into the cache once, with progress, then reuses the verified copy', async () => {
    const cacheDir = freshCache();
    const events: string[] = [];
    const file = fileAt('/small.h5', small);
    const first = await resolveVgg16Weights({
      file,
      cacheDir,
      onProgress: (e) => void events.push(e.type),
    });
    expect(first).toEqual({ path: join(cacheDir, 'weights.h5'), source: 'download' });
    expect(readFileSync(first.path)).toEqual(Buffer.from(small));
    expect(events).toContain('progress');
    const requests = server.requests.length;
    const second = await resolveVgg16Weights({ file, cacheDir, onProgress: false });
    expect(second.source).toBe('cache');
    expect(server.requests.length).toBe(requests);
    expect(await resolveVgg16Weights({ file, cacheDir, offline: true })).toEqual(second);
  });

  it('rejects a file with the wrong md5 and leaves nothing in the cache', async () => {
    const cacheDir = freshCache();
    const file = fileAt('/small.h5', small, { md5: '0'.repeat(32) });
    await expect(resolveVgg16Weights({ file, cacheDir, onProgress: false })).rejects.toThrow(
      /failed its md5 check: expected 0{32}, got [0-9a-f]{32}\. The download was discarded/,
    );
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('fails clearly on a cut-off transfer and leaves nothing half-written', async () => {
    const cacheDir = freshCache();
    const file = fileAt('/cut.h5', small);
    await expect(
      resolveVgg16Weights({ file, cacheDir, onProgress: false, retries: 0 }),
    ).rejects.toThrow(/transfer from .*cut\.h5 broke off/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('offline without a cached copy: says where to put the file', async () => {
    const cacheDir = freshCache();
    await expect(resolveVgg16Weights({ cacheDir, offline: true })).rejects.toThrow(
      new RegExp(
        `nothing cached at ${join(cacheDir, VGG16_NOTOP_WEIGHTS.fileName)}\\. Put ${VGG16_NOTOP_WEIGHTS.fileName} \\(58889256 bytes, md5 6d6bbae143d832006294945121d1f1fc`,
      ),
    );
  });

  it('unreachable server: says where to put the file by hand', async () => {
    const cacheDir = freshCache();
    const file = { ...fileAt('/small.h5', small), url: await refusedUrl('/weights.h5') };
    await expect(
      resolveVgg16Weights({ file, cacheDir, onProgress: false, retries: 0 }),
    ).rejects.toThrow(
      new RegExp(`unreachable.*save it as ${join(cacheDir, 'weights.h5')}.*Or pass the path`, 's'),
    );
  });

  it('takes a local path as is, and names it when it is missing', async () => {
    await expect(resolveVgg16Weights({ path: join(dir, 'vgg16.h5') })).resolves.toEqual({
      path: join(dir, 'vgg16.h5'),
      source: 'local path',
    });
    await expect(resolveVgg16Weights({ path: join(dir, 'absent.h5') })).rejects.toThrow(
      /no file at .*absent\.h5/,
    );
  });

  it('downloads and loads a real-shaped VGG16 weights file end to end', async () => {
    const base = buildVgg16Base();
    const loaded = await loadVgg16ImagenetWeights(base, {
      file: fileAt('/vgg16.h5', h5Bytes),
      cacheDir: freshCache(),
      onProgress: false,
    });
    expect(loaded).toMatchObject({ source: 'download', layout: 'flat' });
    expect(loaded.layers).toHaveLength(13);
    const bias = base.getLayer('block5_conv3').getWeights()[1]!.dataSync();
    expect(bias).toEqual(
      randomVgg16Weights(11).find((l) => l.name === 'block5_conv3')!.bias!.values,
    );
  });
});
