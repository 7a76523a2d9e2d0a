import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VGG16_LAYER_NAMES } from '@trainbook/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultTrackerUrl,
  parseCli,
  type TrainConfig,
  UsageError,
  vgg16ConvLayers,
} from './cli.js';
import { repoRoot } from './reporting/ensure-tracker.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const parse = (...argv: string[]): TrainConfig => {
  const result = parseCli(argv, { cwd: work });
  if (result.kind !== 'train') throw new Error('expected a config');
  return result.config;
};
const usage = (...argv: string[]): string => {
  try {
    parseCli(argv, { cwd: work });
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
};

describe('parseCli', () => {
  it('defaults to the seed experiment', () => {
    expect(parse()).toEqual({
      epochs: 25,
      batchSize: 64,
      optimizer: 'rmsprop',
      trainableFrom: 'block5_conv1',
      denseUnits: 512,
      dropout: 0,
      augment: { flip: false, shift: 0 },
      validation: 'test',
      seed: 42,
      weights: 'imagenet',
      preprocessing: 'caffe',
      backend: 'auto',
      cacheFeatures: 'auto',
      frozenEngine: 'auto',
      suffixEngine: 'auto',
      tag: [],
      notes: '',
      tracker: defaultTrackerUrl,
      offline: false,
      quiet: false,
      json: false,
    });
  });

  it('reads every flag, and drops the -- that pnpm passes along', () => {
    const config = parse(
      '--',
      '--epochs',
      '3',
      '--batch-size',
      '32',
      '--optimizer',
      'sgd',
      '--lr',
      '0.05',
      '--trainable-from',
      'block4_conv1',
      '--dense-units',
      '256',
      '--dropout',
      '0.5',
      '--augment',
      'flip,shift=2',
      '--validation',
      '0.1',
      '--subset',
      '2000',
      '--seed',
      '7',
      '--weights',
      'none',
      '--preprocessing',
      'unit',
      '--data',
      'data/cifar.tar.gz',
      '--backend',
      'wasm',
      '--cache-features',
      'off',
      '--frozen-engine',
      'onnx',
      '--suffix-engine',
      'tfjs',
      '--early-stopping',
      '3',
      '--name',
      'quick',
      '--tag',
      'a',
      '--tag',
      'b c',
      '--notes',
      'hello',
      '--tracker',
      'http://127.0.0.1:5000/trpc',
      '--offline',
      '--quiet',
    );
    expect(config).toMatchObject({
      epochs: 3,
      batchSize: 32,
      optimizer: 'sgd',
      lr: 0.05,
      trainableFrom: 'block4_conv1',
      denseUnits: 256,
      dropout: 0.5,
      augment: { flip: true, shift: 2 },
      validation: 0.1,
      subset: 2000,
      seed: 7,
      weights: 'none',
      preprocessing: 'unit',
      data: join(work, 'data/cifar.tar.gz'),
      backend: 'wasm',
      cacheFeatures: 'off',
      frozenEngine: 'onnx',
      suffixEngine: 'tfjs',
      earlyStopping: 3,
      name: 'quick',
      tag: ['a', 'b c'],
      notes: 'hello',
      tracker: 'http://127.0.0.1:5000/trpc',
      offline: true,
      quiet: true,
    });
  });

  it('combines augmentations given separately; bare shift is 4 px; none is nothing', () => {
    expect(parse('--augment', 'flip', '--augment', 'shift').augment).toEqual({
      flip: true,
      shift: 4,
    });
    expect(parse('--augment', 'shift:3').augment).toEqual({ flip: false, shift: 3 });
    expect(parse('--augment', 'none').augment).toEqual({ flip: false, shift: 0 });
  });

  it('names the flag, what it accepts and what it got', () => {
    expect(usage('--epochs', 'many')).toMatch(
      /^--epochs: expected a whole number of epochs ≥ 1 \(got "many"\)/,
    );
    expect(usage('--epochs', '0')).toMatch(/^--epochs: expected ≥ 1/);
    expect(usage('--batch-size', '1.5')).toMatch(/^--batch-size: expected a whole number/);
    expect(usage('--lr', '-1')).toMatch(/^--lr: expected > 0/);
    expect(usage('--dropout', '1')).toMatch(/^--dropout: expected 0 ≤ rate < 1/);
    expect(usage('--validation', 'train')).toMatch(/^--validation: expected 'test' or a fraction/);
    expect(usage('--trainable-from', 'block9_conv1')).toMatch(
      /^--trainable-from: expected a VGG16 conv layer: block1_conv1, /,
    );
    expect(usage('--augment', 'rotate')).toMatch(
      /^--augment: expected none, flip, shift=N .*\(got \["rotate"\]\)/,
    );
    expect(usage('--augment', 'shift=40')).toMatch(
      /^--augment: expected shift N with N from 0 to 31/,
    );
    expect(usage('--tracker', 'not a url')).toMatch(/^--tracker: expected an http\(s\) URL/);
    expect(usage('--tag', 'x;drop')).toMatch(/^--tag: expected letters and digits/);
    expect(usage('--optimizer', 'adagrad')).toMatch(
      /--optimizer.*'adagrad' is invalid.*rmsprop, adam, sgd/,
    );
    expect(usage('--backend', 'gpu')).toMatch(/Allowed choices are auto, tensorflow, wasm, cpu/);
    expect(usage('--frozen-engine', 'torch')).toMatch(/Allowed choices are auto, tfjs, onnx/);
    expect(usage('--epoch', '3')).toMatch(/unknown option '--epoch'[\s\S]*Did you mean --epochs\?/);
    expect(usage('--json', '--quiet')).toMatch(/--json and --quiet: choose one/);
  });

  it('takes settings from --config (camelCase or flag names); flags win', async () => {
    const file = join(work, 'run.json');
    await writeFile(
      file,
      JSON.stringify({ epochs: 5, 'batch-size': 16, augment: 'flip', tag: ['x'] }),
    );
    expect(parse('--config', 'run.json')).toMatchObject({
      epochs: 5,
      batchSize: 16,
      augment: { flip: true, shift: 0 },
      tag: ['x'],
    });
    expect(parse('--config', 'run.json', '--epochs', '2')).toMatchObject({
      epochs: 2,
      batchSize: 16,
    });
  });

  it('refuses a config file that is missing, not JSON, or has unknown or bad settings', async () => {
    expect(usage('--config', 'nope.json')).toMatch(/^--config: cannot read .*nope\.json/);
    await writeFile(join(work, 'bad.json'), '{ epochs: 5');
    expect(usage('--config', 'bad.json')).toMatch(/^--config: .*bad\.json is not valid JSON/);
    await writeFile(join(work, 'unknown.json'), '{"epochz": 5}');
    expect(usage('--config', 'unknown.json')).toMatch(/unknown setting "epochz"; known: epochs, /);
    await writeFile(join(work, 'wrong.json'), '{"epochs": "x"}');
    expect(usage('--config', 'wrong.json')).toMatch(
      /^--epochs \(from wrong\.json\): expected a whole number/,
    );
  });

  it("knows VGG16's conv layers as the model package names them", () => {
    expect(vgg16ConvLayers).toEqual(VGG16_LAYER_NAMES.filter((name) => !name.endsWith('_pool')));
  });

  it('--help lists the flags', () => {
    const result = parseCli(['--help'], { cwd: work });
    expect(result.kind).toBe('help');
    if (result.kind === 'help') {
      for (const flag of [
        '--epochs',
        '--augment',
        '--cache-features',
        '--frozen-engine',
        '--early-stopping',
        '--offline',
        '--json',
      ])
        expect(result.text).toContain(flag);
    }
  });
});

describe('pnpm train, the program', () => {
  const trainer = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'apps/trainer/src/main.ts'), ...args],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, TRAINBOOK_HOME: work },
      },
    );

  it('exits 2 on a bad flag, with the message on stderr', () => {
    const result = trainer('--batch-size', 'abc');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--batch-size: expected a whole number of images ≥ 1 (got "abc")',
    );
  });

  it('exits 0 on --help', () => {
    const result = trainer('--', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: pnpm train');
  });
});
