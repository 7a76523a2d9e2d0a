/**
 * Turns a trainer journal ($TRAINBOOK_HOME/spool/<runId>.jsonl) into a corpus fixture: the
 * params that shape a run and its per-epoch series, with a label given by a person who
 * looked at the curves.
 *
 *   pnpm --filter @trainbook/insights exec tsx scripts/corpus-from-journal.ts \
 *     <journal.jsonl> <label> "<why>" [design|holdout] [onset epoch] > corpus/<name>.json
 */
import { readFileSync } from 'node:fs';
import { type CorpusRun, corpusKinds } from '../src/eval/corpus.js';

const epochKeys = ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'epoch_seconds'] as const;
const keptParams = [
  'epochs',
  'batchSize',
  'optimizer',
  'lr',
  'trainableFrom',
  'denseUnits',
  'dropout',
  'augment',
  'validation',
  'subset',
  'seed',
  'weights',
  'preprocessing',
  'earlyStopping',
  'trainImages',
  'validationImages',
];

const [path, label, why, split = 'design', onset] = process.argv.slice(2);
if (!path || !label || !why || !['design', 'holdout'].includes(split)) {
  console.error(
    'usage: corpus-from-journal.ts <journal.jsonl> <label> "<why>" [design|holdout] [onset epoch]',
  );
  process.exit(2);
}
if (!(corpusKinds as readonly string[]).includes(label)) {
  console.error(`label: expected one of ${corpusKinds.join(', ')}, got ${JSON.stringify(label)}`);
  process.exit(2);
}

const toNumber = (v: unknown) =>
  typeof v === 'number' ? v : v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : -Infinity;

let name = '';
let params: Record<string, unknown> = {};
const byEpoch = new Map<number, Record<string, number | string>>();
for (const line of readFileSync(path, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const op = JSON.parse(line);
  if (op.op === 'create') {
    name = op.input.name;
    params = Object.fromEntries(
      keptParams
        .filter((k) => op.input.params[k] !== undefined)
        .map((k) => [k, op.input.params[k]]),
    );
  } else if (op.op === 'points') {
    for (const [key, step, , value] of op.points as [string, number, number, unknown][]) {
      if (!(epochKeys as readonly string[]).includes(key)) continue;
      const row = byEpoch.get(step) ?? { epoch: step };
      const n = toNumber(value);
      // JSON has no NaN: the fixture keeps non-finite values as the journal writes them.
      row[key] = Number.isFinite(n) ? Math.round(n * 1e5) / 1e5 : String(value);
      byEpoch.set(step, row);
    }
  }
}
const run = {
  name,
  label,
  why,
  ...(onset ? { onsetEpoch: Number(onset) } : {}),
  split,
  params,
  epochs: [...byEpoch.values()].sort((a, b) => Number(a.epoch) - Number(b.epoch)),
} as unknown as CorpusRun;
// Biome's JSON layout, so that `biome check` leaves the fixture as written.
process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
