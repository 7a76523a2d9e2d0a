/**
 * Time and peak memory of the CIFAR-10 data path: load, dataset hash, and one epoch of the
 * batches fit reads (uint8 images by position, flip + shift augmentation). Runs each case in a fresh process so peak RSS belongs to that case alone.
 *
 *   pnpm --filter @trainbook/trainer bench              # shared 10k archive (if present) + synthetic 60,000
 *   tsx bench/load-cifar10.ts --data <archive|folder>   # one case
 */
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { create } from 'tar';
import {
  folderName,
  metaFile,
  recordBytes,
  testFile,
  trainFiles,
} from '../src/data/cifar10-format.js';
import { datasetHash } from '../src/data/dataset-hash.js';
import { loadCifar10 } from '../src/data/load-cifar10.js';
import { selectExamples } from '../src/data/select-examples.js';
import { sharedDataDir } from '../src/data/testing/shared-data.js';
import { augmenter, exampleSource } from '../src/image-sources.js';

const { values } = parseArgs({ options: { data: { type: 'string' } } });
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const peak = () => process.resourceUsage().maxRSS;

if (values.data) {
  await measure(values.data);
} else {
  const shared = join(
    sharedDataDir(process.env.TRAINBOOK_SHARED_DATA),
    'cifar-10-binary-10k.tar.gz',
  );
  if (existsSync(shared)) runCase(shared);
  else console.log(`shared archive not found at ${shared}; skipping that case`);
  const work = await mkdtemp(join(tmpdir(), 'trainbook-bench-'));
  try {
    const folder = await writeSynthetic(work);
    runCase(folder);
    // The official download is a .tar.gz: read one of full size too (gzip level 1 to build it quickly).
    const archive = join(work, 'synthetic-cifar-10-binary.tar.gz');
    await create({ gzip: { level: 1 }, file: archive, cwd: work }, [folderName]);
    runCase(archive);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function runCase(data: string) {
  const self = fileURLToPath(import.meta.url);
  execFileSync(process.execPath, [...process.execArgv, self, '--data', data], { stdio: 'inherit' });
}

async function measure(data: string) {
  const baseline = peak();
  let t = performance.now();
  const lap = () => {
    const s = (performance.now() - t) / 1000;
    t = performance.now();
    return `${s.toFixed(2)} s`;
  };
  const cifar = await loadCifar10({ data });
  const loaded = `${lap()}, peak RSS ${mb(peak())}`;
  const sets = selectExamples(cifar, { validation: 'test', seed: 1 });
  datasetHash(sets);
  const hashed = lap();
  // What fitTransferModel does per batch before the model sees it: read by position, augment.
  const train = exampleSource(sets.train);
  const augment = augmenter({ flip: true, shift: 4, seed: 1 })!;
  const batchSize = 64;
  let images = 0;
  let batches = 0;
  for (let at = 0; at < train.size; at += batchSize, batches++) {
    const positions = Array.from(
      { length: Math.min(batchSize, train.size - at) },
      (_, i) => at + i,
    );
    const batch = await train.read(positions);
    augment(batch);
    images += positions.length;
  }
  const epoch = lap();
  console.log(
    [
      `data: ${data} (${cifar.train.count} train, ${cifar.test.count} test)`,
      `  baseline peak RSS (node + modules): ${mb(baseline)}`,
      `  load: ${loaded}`,
      `  dataset hash (train + validation): ${hashed}`,
      `  one epoch of fit's batches, flip + shift 4, batch 64: ${epoch} for ${images} images in ${batches} batches`,
      `  peak RSS at end: ${mb(peak())}`,
    ].join('\n'),
  );
}

/** 50,000 + 10,000 synthetic records (random pixels) in the official folder layout. */
async function writeSynthetic(work: string): Promise<string> {
  const folder = join(work, folderName);
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, metaFile),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
  const file = new Uint8Array(10_000 * recordBytes);
  for (const [n, name] of [...trainFiles, testFile].entries()) {
    for (let r = 0; r < 10_000; r += 1) {
      const at = r * recordBytes;
      file[at] = (r + n) % 10;
    }
    // Random pixels compress about as badly as photos do, unlike a constant fill.
    for (let r = 0; r < 10_000; r += 1) randomFillSync(file, r * recordBytes + 1, recordBytes - 1);
    await writeFile(join(folder, name), file);
  }
  return folder;
}
