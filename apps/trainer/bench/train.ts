/**
 * Trainer benchmark: epoch time with and without the frozen-prefix feature cache, the
 * reporting overhead (tracker on vs --offline) and peak RSS, each case a real `pnpm train`
 * process. `--weights none` throughout (no ImageNet weights offline): the arithmetic per
 * epoch is the same as with them.
 *
 *   pnpm --filter @trainbook/trainer bench          # part of pnpm bench
 *   tsx bench/train.ts --subset 1000 --rss-subset 5000 --rounds 3 --cases epoch,overhead,rss
 *
 * On a small machine a full 10,000-image epoch without the cache takes many minutes, so each
 * case trains on --subset images (per split) and per-epoch figures are also scaled to 10,000.
 */
import { randomFillSync, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  folderName,
  metaFile,
  recordBytes,
  testFile,
  trainFiles,
} from '../src/data/cifar10-format.js';
import { sharedDataDir } from '../src/data/testing/shared-data.js';
import { RunReporter } from '../src/reporting/run-reporter.js';
import { runTrainer, startTracker } from '../src/testing/processes.js';

const { values } = parseArgs({
  options: {
    subset: { type: 'string', default: process.env.TRAINBOOK_BENCH_SUBSET ?? '256' },
    'rss-subset': { type: 'string', default: process.env.TRAINBOOK_BENCH_RSS_SUBSET ?? '500' },
    epochs: { type: 'string', default: '2' },
    rounds: { type: 'string', default: process.env.TRAINBOOK_BENCH_ROUNDS ?? '1' },
    cases: { type: 'string', default: 'epoch,overhead,rss' },
  },
});
const subset = Number(values.subset);
const rssSubset = Number(values['rss-subset']);
const epochs = Number(values.epochs);
const cases = new Set(values.cases.split(','));
const shared = join(sharedDataDir(process.env.TRAINBOOK_SHARED_DATA), 'cifar-10-binary-10k.tar.gz');
const work = await mkdtemp(join(tmpdir(), 'trainbook-train-bench-'));

interface Result {
  wallSeconds: number;
  epochs: Array<{ seconds: number; imagesPerSecond: number }>;
  peakRssMB: number;
}

async function train(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const started = performance.now();
  const trainer = runTrainer(
    ['--weights', 'none', '--json', '--batch-size', '64', '--epochs', String(epochs), ...args],
    { TRAINBOOK_HOME: join(work, 'home'), ...env },
  );
  const { code } = await trainer.exited;
  if (code !== 0) throw new Error(`trainer exited with ${code}:\n${trainer.stderr()}`);
  const events = trainer.events();
  const summary = events.find((e) => e.event === 'summary')!;
  return {
    wallSeconds: (performance.now() - started) / 1000,
    epochs: events
      .filter((e) => e.event === 'epoch')
      .map((e) => ({ seconds: e.seconds as number, imagesPerSecond: e.imagesPerSecond as number })),
    peakRssMB: summary.peakRssMB as number,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number, digits = 1) => x.toFixed(digits);

try {
  if (!existsSync(shared)) {
    console.log(
      `shared archive not found at ${shared}; skipping the epoch-time and overhead cases`,
    );
  } else {
    const data = ['--data', shared, '--subset', String(subset)];
    if (cases.has('epoch')) {
      console.log(
        `epoch time, seed configuration (VGG16 trainable from block5_conv1, Dense 512, rmsprop, batch 64), --weights none, ${subset} train + ${subset} validation images of the shared 10k archive, ${epochs} epochs`,
      );
      for (const cache of ['on', 'off'] as const) {
        const r = await train([...data, '--cache-features', cache, '--offline']);
        const perEpoch = mean(r.epochs.map((e) => e.seconds));
        const ips = mean(r.epochs.map((e) => e.imagesPerSecond));
        console.log(
          `  cache ${cache.padEnd(3)}: ${f(perEpoch)} s/epoch (${f(ips)} train images/s), ≈ ${f((perEpoch * 10_000) / subset, 0)} s per 10,000-image epoch; whole run ${f(r.wallSeconds)} s${cache === 'on' ? ' including the one-off feature pass' : ''}`,
        );
      }
    }
    if (cases.has('overhead')) {
      console.log(
        'reporting overhead: cache on, tracker (embedded store) vs --offline, same run, alternating, --rounds times',
      );
      const tracker = await startTracker({ TRAINBOOK_HOME: join(work, 'tracker-home') });
      try {
        const rates: Record<string, number[]> = { tracker: [], offline: [] };
        for (let round = 0; round < Number(values.rounds); round++) {
          for (const mode of ['tracker', 'offline'] as const) {
            const r = await train([
              ...data,
              '--epochs',
              '3',
              ...(mode === 'offline' ? ['--offline'] : ['--tracker', tracker.url]),
            ]);
            // The first epoch carries warm-up; compare the rest.
            rates[mode]!.push(mean(r.epochs.slice(1).map((e) => e.imagesPerSecond)));
          }
        }
        const on = mean(rates.tracker!);
        const off = mean(rates.offline!);
        console.log(
          `  tracker: ${f(on)} images/s, offline: ${f(off)} images/s → overhead ${f(((off - on) / off) * 100)} % (target ≤ 2 %; runs: tracker ${rates.tracker!.map((x) => f(x)).join(', ')}, offline ${rates.offline!.map((x) => f(x)).join(', ')})`,
        );
        // End to end, the noise of a shared machine swamps the overhead; measure its own cost too.
        const calls = 2_000;
        const reporter = new RunReporter({
          spoolDir: join(work, 'spool'),
          run: {
            id: randomUUID(),
            name: 'bench-reporter',
            params: {},
            env: {},
            notes: '',
            tags: [],
          },
          trackerUrl: tracker.url,
          heartbeatMs: 10_000,
        });
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) {
          const wallTime = Date.now();
          reporter.log([
            { key: 'batch/loss', step: i, epoch: 1, value: Math.random(), wallTime },
            { key: 'batch/accuracy', step: i, epoch: 1, value: Math.random(), wallTime },
          ]);
        }
        const logMs = performance.now() - t0;
        await reporter.finish({ status: 'finished' }, 60_000);
        const used = process.cpuUsage(cpu);
        const perCallMs = (used.user + used.system) / 1000 / calls;
        console.log(
          `  reporter's own cost: ${f((logMs / calls) * 1000, 0)} µs per log() call on the training path; ${f(perCallMs, 2)} ms CPU per call including journal, HTTP and replay bookkeeping → at the trainer's rate (one batch call a second) ≈ ${f(perCallMs / 10, 3)} % of a core`,
        );
      } finally {
        await tracker.stop();
      }
    }
  }

  if (cases.has('rss')) {
    console.log(
      `peak RSS: synthetic 50,000 train + 10,000 test records loaded in full, ${rssSubset} + ${rssSubset} of them trained and cached, 1 epoch`,
    );
    const folder = await writeSynthetic(work);
    const r = await train([
      '--data',
      folder,
      '--subset',
      String(rssSubset),
      '--epochs',
      '1',
      '--offline',
    ]);
    // The feature cache is the part that grows with the images used: [2, 2, 512] float32 each.
    const cacheBytesPerImage = 2 * 2 * 512 * 4;
    const projected = r.peakRssMB + ((60_000 - 2 * rssSubset) * cacheBytesPerImage) / 2 ** 20;
    console.log(
      `  measured: ${r.peakRssMB} MB; projected for the full 50,000-image epoch (+ 10,000 validation, all cached): ≈ ${f(projected, 0)} MB (target ≤ 1,536 MB)`,
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

/** 50,000 + 10,000 synthetic records (random pixels) in the official folder layout. */
async function writeSynthetic(parent: string): Promise<string> {
  const folder = join(parent, folderName);
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, metaFile),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
  const file = new Uint8Array(10_000 * recordBytes);
  for (const [n, name] of [...trainFiles, testFile].entries()) {
    randomFillSync(file);
    for (let r = 0; r < 10_000; r += 1) file[r * recordBytes] = (r + n) % 10;
    await writeFile(join(folder, name), file);
  }
  return folder;
}
