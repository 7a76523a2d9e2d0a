/**
 * The seed's run in Keras beside `pnpm train`, back to back on the same archive: random init,
 * batch 64, x / 255, block1–4 frozen, plain and with flip,shift=4, 2 epochs each. Prints
 * per-epoch and end-to-end (process start to exit) times and their ratios (trainbook ÷ Keras:
 * below 1 is faster), and each epoch's CPU time (all threads): on a busy machine wall-clock
 * ratios move with the other jobs, CPU-time ratios much less. Keras is not part of the install: without it this says how to get it.
 *
 *   pnpm --filter @trainbook/trainer exec tsx bench/keras.ts [--subset 2000] [--epochs 2]
 *     [--cases plain,augment]      KERAS_PYTHON=/path/to/venv/bin/python (default python3)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sharedDataDir } from '../src/data/testing/shared-data.js';
import { runTrainer } from '../src/testing/processes.js';

const { values } = parseArgs({
  options: {
    subset: { type: 'string', default: '0' },
    epochs: { type: 'string', default: '2' },
    cases: { type: 'string', default: 'plain,augment' },
  },
});
const python = process.env.KERAS_PYTHON ?? 'python3';
const epochs = Number(values.epochs);
const subset = Number(values.subset);
const archive = join(
  sharedDataDir(process.env.TRAINBOOK_SHARED_DATA),
  'cifar-10-binary-10k.tar.gz',
);
const augmentations = { plain: 'none', augment: 'flip,shift=4' } as const;

interface Run {
  wallSeconds: number;
  epochSeconds: number[];
  /** CPU time of each epoch, all threads of the process. */
  epochCpuSeconds: number[];
  detail: string;
}

async function keras(augment: string): Promise<Run> {
  const script = fileURLToPath(new URL('./keras_seed.py', import.meta.url));
  const args = [script, '--data', archive, '--epochs', String(epochs), '--augment', augment];
  if (subset > 0) args.push('--subset', String(subset));
  const started = performance.now();
  const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`Keras exited with ${code}`);
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, number | string>);
  const done = lines.find((l) => l.event === 'done')!;
  return {
    wallSeconds,
    epochSeconds: lines.filter((l) => l.event === 'epoch').map((l) => l.seconds as number),
    epochCpuSeconds: lines.filter((l) => l.event === 'epoch').map((l) => l.cpu_seconds as number),
    detail: `Keras ${done.keras} (${done.backend}), ${done.train} train / ${done.validation} validation`,
  };
}

async function trainbook(augment: string, home: string): Promise<Run> {
  const args = [
    ...['--data', archive, '--epochs', String(epochs), '--batch-size', '64'],
    ...['--weights', 'none', '--preprocessing', 'unit', '--offline', '--json'],
    ...(augment === 'none' ? [] : ['--augment', augment]),
    ...(subset > 0 ? ['--subset', String(subset)] : []),
  ];
  const started = performance.now();
  const trainer = runTrainer(args, { TRAINBOOK_HOME: home });
  const { code } = await trainer.exited;
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`pnpm train exited with ${code}:\n${trainer.stderr()}`);
  const events = trainer.events();
  const info = events
    .filter((e) => e.event === 'info')
    .map((e) => String(e.message))
    .filter((m) => /^(frozen layers|feature cache|trainable layers)/.test(m));
  return {
    wallSeconds,
    epochSeconds: events.filter((e) => e.event === 'epoch').map((e) => e.seconds as number),
    epochCpuSeconds: events.filter((e) => e.event === 'epoch').map((e) => e.cpuSeconds as number),
    detail: info.join('; '),
  };
}

/** The whole run at `epochs` epochs: what ran, plus the missing epochs at the last one's time. */
function project(run: Run, epochs: number): number | undefined {
  const last = run.epochSeconds.at(-1);
  if (last == null) return undefined;
  return run.wallSeconds + Math.max(0, epochs - run.epochSeconds.length) * last;
}

const f = (x: number | undefined) => (x == null ? '—' : x.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a == null || b == null ? '—' : `${(a / b).toFixed(2)}×`;

async function main() {
  const probe = spawnSync(python, ['-c', 'import keras'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(
      `Keras side by side skipped: \`${python} -c "import keras"\` failed. To get it (outside the repo):\n` +
        '  python3 -m venv ~/.venvs/keras && ~/.venvs/keras/bin/pip install tensorflow-cpu\n' +
        '  then KERAS_PYTHON=~/.venvs/keras/bin/python pnpm --filter @trainbook/trainer exec tsx bench/keras.ts',
    );
    return;
  }
  if (!existsSync(archive)) {
    console.log(`Keras side by side skipped: no shared archive at ${archive}`);
    return;
  }
  const home = await mkdtemp(join(tmpdir(), 'trainbook-keras-bench-'));
  try {
    console.log(
      `seed config, ${epochs} epochs, batch 64, random init, x / 255${subset ? `, --subset ${subset}` : ''}; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    for (const name of values.cases.split(',') as Array<keyof typeof augmentations>) {
      const augment = augmentations[name];
      if (!augment) throw new Error(`--cases: expected plain and/or augment, got ${name}`);
      const k = await keras(augment);
      const t = await trainbook(augment, home);
      console.log(`\n${name} (${augment})\n  ${k.detail}\n  trainbook: ${t.detail}`);
      console.log(
        '                 Keras s   trainbook s   trainbook ÷ Keras   CPU s: Keras   trainbook   ÷',
      );
      for (let i = 0; i < Math.max(k.epochSeconds.length, t.epochSeconds.length); i++) {
        const [kc, tc] = [k.epochCpuSeconds[i], t.epochCpuSeconds[i]];
        console.log(
          `  epoch ${String(i + 1).padEnd(9)}${f(k.epochSeconds[i]).padEnd(10)}${f(t.epochSeconds[i]).padEnd(14)}${ratio(t.epochSeconds[i], k.epochSeconds[i]).padEnd(27)}${f(kc).padEnd(12)}${f(tc).padEnd(8)}${ratio(tc, kc)}`,
        );
      }
      console.log(
        `  end to end     ${f(k.wallSeconds).padEnd(10)}${f(t.wallSeconds).padEnd(14)}${ratio(t.wallSeconds, k.wallSeconds)}`,
      );
      const [k25, t25] = [project(k, 25), project(t, 25)];
      console.log(
        `  25 epochs*     ${f(k25).padEnd(10)}${f(t25).padEnd(14)}${ratio(t25, k25)}\n  * projected: end to end plus the missing epochs at the last epoch's time`,
      );
    }
    console.log(`\nload average at end: ${loadavg()[0]!.toFixed(1)}`);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

await main();
