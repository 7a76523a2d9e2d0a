import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../cli.js';
import { expandSweep, trainArgs, trainCommand } from './expand-sweep.js';
import { parseSweepArgs, type SweepCommand } from './sweep-args.js';

const cwd = mkdtempSync(join(tmpdir(), 'sweep-test-'));
const parse = (...argv: string[]) => parseSweepArgs(argv, { cwd }) as SweepCommand;
const expand = (...argv: string[]) => expandSweep(parse(...argv).spec);
const file = (name: string, text: string) => {
  writeFileSync(join(cwd, name), text);
  return name;
};

describe('pnpm sweep: flags with lists and ranges', () => {
  it('turns lists into a grid of every combination, fixed flags in each', () => {
    const trials = expand(
      '--name',
      'a',
      '--augment',
      'none,flip,flip+shift=4',
      '--dropout',
      '0,0.3,0.5',
      '--epochs',
      '25',
    );
    expect(trials).toHaveLength(9);
    expect(trials[7]).toEqual({
      params: { augment: 'flip+shift=4', dropout: 0.3 },
      config: { epochs: 25, augment: 'flip+shift=4', dropout: 0.3 },
    });
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(9);
  });

  it('samples ranges for random search, reproducibly by seed, inside the range', () => {
    const argv = [
      '--name=r',
      '--search',
      'random',
      '--trials',
      '20',
      '--lr',
      'log:1e-5..1e-2',
      '--dense-units',
      '16..256',
    ];
    const a = expand(...argv);
    expect(a).toHaveLength(20);
    expect(expand(...argv)).toEqual(a);
    expect(expand(...argv, '--sample-seed', '7')).not.toEqual(a);
    for (const { params } of a) {
      expect(params.lr).toBeGreaterThanOrEqual(1e-5);
      expect(params.lr).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(params.denseUnits)).toBe(true);
    }
    const logs = a.map((t) => Math.log10(t.params.lr as number));
    expect(Math.min(...logs)).toBeLessThan(-3.5); // log-uniform reaches the small decades
  });

  it('gives each config to pnpm train exactly as its flags', () => {
    const [trial] = expand(
      '--name',
      'a',
      '--augment',
      'flip+shift=4',
      '--tag',
      'sweep',
      '--tag',
      'aug',
      '--dropout',
      '0.3,0.5',
    );
    const parsed = parseCli(trainArgs(trial!.config), { cwd });
    expect(parsed).toMatchObject({
      kind: 'train',
      config: { augment: { flip: true, shift: 4 }, dropout: 0.3, tag: ['sweep', 'aug'] },
    });
    expect(trainCommand(trial!.config)).toBe(
      'pnpm train --augment flip+shift=4 --tag sweep --tag aug --dropout 0.3',
    );
  });

  it('refuses bad input with the flag named', () => {
    expect(() => parse('--name', 'x', '--dropuot', '0,1')).toThrow(
      '--dropuot: not a flag of pnpm train (did you mean --dropout?)',
    );
    expect(() => parse('--name', 'x', '--dropout', '0,,1')).toThrow(
      '--dropout: empty value in the list "0,,1"',
    );
    expect(() => parse('--name', 'x', '--dropout', '')).toThrow('--dropout: expected a value');
    expect(() => parse('--name', 'x', '--lr', 'log:1e-2..1e-5')).toThrow(
      '--lr: range log:1e-2..1e-5 has min 0.01 above max 0.00001',
    );
    expect(() => parse('--dropout', '0')).toThrow('--name: every sweep needs a name');
    expect(() => expand('--name', 'x', '--lr', '1e-4..1e-2')).toThrow(
      '--lr: a range (0.0001..0.01) needs --search random',
    );
    expect(() => expand('--name', 'x', '--dropout', '0,0.5,1.5')).toThrow(
      /--dropout 1\.5: expected 0 ≤ rate < 1 \(first in config 2\)/,
    );
    expect(() => expand('--name', 'x', '--search', 'random', '--lr', '1..2')).toThrow(
      '--trials: --search random needs a number of configs',
    );
    const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');
    expect(() => expand('--name', 'x', '--seed', values(200), '--dense-units', values(51))).toThrow(
      'a grid of 10,200 configs (seed 200 × denseUnits 51) is over the limit of 10,000',
    );
    expect(expand('--name', 'x', '--seed', values(200), '--dense-units', values(50))).toHaveLength(
      10_000,
    );
  });
});

describe('pnpm sweep: sweep files', () => {
  it('reads YAML and JSON; flags win over the file', () => {
    const yaml = file(
      'a.yaml',
      `name: from-file
search: random
trials: 4
earlyStopping: { median: { minTrials: 2 } }
params:
  dropout: [0, 0.3]
  lr: "log:1e-5..1e-2"
  dense-units: { min: 64, max: 512, scale: log }
fixed:
  epochs: 3
  weights: none
`,
    );
    const spec = parse('--file', yaml, '--epochs', '5').spec;
    expect(spec).toMatchObject({
      name: 'from-file',
      search: 'random',
      trials: 4,
      earlyStopping: { median: { minTrials: 2, fromEpoch: 2 } },
      fixed: { epochs: 5, weights: 'none' },
    });
    expect(Object.keys(spec.params).sort()).toEqual(['denseUnits', 'dropout', 'lr']);
    expect(expandSweep(spec)).toHaveLength(4);
    const json = file(
      'b.json',
      JSON.stringify({ name: 'j', params: { optimizer: ['adam', 'sgd'] } }),
    );
    expect(expandSweep(parse('--file', json).spec).map((t) => t.params.optimizer)).toEqual([
      'adam',
      'sgd',
    ]);
  });

  it('names the file and the key of each mistake', () => {
    const wrongKey = file('c.yaml', 'name: x\nparms:\n  dropout: [0, 0.5]\n');
    expect(() => parse('--file', wrongKey)).toThrow('c.yaml: parms: unknown key');
    const wrongFlag = file('d.yaml', 'name: x\nparams:\n  dropuot: [0, 0.5]\n');
    expect(() => parse('--file', wrongFlag)).toThrow(
      'd.yaml: params.dropuot: not a flag of pnpm train (did you mean --dropout?)',
    );
    const empty = file('e.yaml', 'name: x\nparams:\n  dropout: []\n');
    expect(() => parse('--file', empty)).toThrow('e.yaml: params.dropout: empty list');
    const badRange = file(
      'f.yaml',
      'name: x\nsearch: random\ntrials: 2\nparams:\n  lr: { min: 1, max: 0.1 }\n',
    );
    expect(() => parse('--file', badRange)).toThrow(
      'f.yaml: params.lr: range has min 1 above max 0.1',
    );
    const badType = file('g.yaml', 'name: x\nmaxAttempts: many\n');
    expect(() => parse('--file', badType)).toThrow(/g\.yaml: maxAttempts: /);
    expect(() => parse('--file', 'missing.yaml')).toThrow(/--file: cannot read .*missing\.yaml/);
  });
});
