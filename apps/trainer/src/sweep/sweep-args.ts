import { UsageError } from '../cli.js';
import { readSweepFile } from './sweep-file.js';
import { fixedOnly, flagOf, trainKey } from './sweep-keys.js';
import { type SweepSpec, sweepDefaults } from './sweep-spec.js';
import { parseSweepValue, typed } from './sweep-values.js';

export interface SweepCommand {
  spec: SweepSpec;
  dryRun: boolean;
  tracker?: string | undefined;
}

/** pnpm sweep's own flags; every other flag is pnpm train's, taking a list or a range. */
const ownFlags = new Set([
  'name',
  'search',
  'trials',
  'sample-seed',
  'max-attempts',
  'lease-seconds',
  'stop',
  'stop-patience',
  'stop-min-trials',
  'file',
  'tracker',
]);

function whole(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${flag}: expected a whole number from ${min} to ${max} (got "${text}")`,
    );
  return n;
}

/** `pnpm sweep` argv → what to create. Flags win over the sweep file's keys. */
export function parseSweepArgs(argv: string[], options: { cwd: string }): SweepCommand | 'help' {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const own = new Map<string, string>();
  const train = new Map<string, string[]>();
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--dry-run') {
      dryRun = true;
      continue;
    }
    const match = arg.match(/^--([a-z][a-z0-9-]*)(?:=(.*))?$/);
    if (!match) throw new UsageError(`${arg}: expected --flag value (see pnpm sweep --help)`);
    const name = match[1]!;
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name}: expected a value`);
    if (ownFlags.has(name)) own.set(name, value);
    else {
      const key = trainKey(name, `--${name}`);
      train.set(key, [...(train.get(key) ?? []), value]);
    }
  }
  const file = own.get('file');
  const base: SweepSpec = file
    ? readSweepFile(new URL(file, `file://${options.cwd.replace(/\/?$/, '/')}`).pathname)
    : {
        name: '',
        search: sweepDefaults.search,
        sampleSeed: sweepDefaults.sampleSeed,
        params: {},
        fixed: {},
        maxAttempts: sweepDefaults.maxAttempts,
        leaseSeconds: sweepDefaults.leaseSeconds,
        earlyStopping: {},
      };
  const spec: SweepSpec = { ...base, params: { ...base.params }, fixed: { ...base.fixed } };
  for (const [key, values] of train) {
    delete spec.params[key];
    delete spec.fixed[key];
    if (key === 'tag') spec.fixed.tag = values;
    else if (fixedOnly.has(key)) {
      if (values.length > 1)
        throw new UsageError(`${flagOf(key)}: give it once (one value for every config)`);
      spec.fixed[key] = values[0]!;
    } else {
      const parsed = parseSweepValue(flagOf(key), values.join(','));
      if (parsed.kind === 'list' && parsed.values.length === 1)
        spec.fixed[key] = typed(String(parsed.values[0]));
      else spec.params[key] = parsed;
    }
  }
  if (own.has('name')) spec.name = own.get('name')!.trim();
  if (!spec.name)
    throw new UsageError('--name: every sweep needs a name, e.g. --name aug-vs-dropout');
  const search = own.get('search');
  if (search !== undefined) {
    if (search !== 'grid' && search !== 'random')
      throw new UsageError(`--search: expected grid or random (got "${search}")`);
    spec.search = search;
  }
  if (own.has('trials')) spec.trials = whole('trials', own.get('trials')!, 1, 10_000);
  if (own.has('sample-seed'))
    spec.sampleSeed = whole('sample-seed', own.get('sample-seed')!, 0, 2 ** 31 - 1);
  if (own.has('max-attempts'))
    spec.maxAttempts = whole('max-attempts', own.get('max-attempts')!, 1, 10);
  if (own.has('lease-seconds'))
    spec.leaseSeconds = whole('lease-seconds', own.get('lease-seconds')!, 10, 3600);
  if (own.has('stop')) {
    const rules = own
      .get('stop')!
      .split(',')
      .map((r) => r.trim());
    const unknown = rules.filter((r) => r !== 'median' && r !== 'diagnosis');
    if (unknown.length || rules.length === 0)
      throw new UsageError(
        `--stop: expected median, diagnosis or median,diagnosis (got "${own.get('stop')}")`,
      );
    spec.earlyStopping = {};
    if (rules.includes('median'))
      spec.earlyStopping.median = {
        minTrials: own.has('stop-min-trials')
          ? whole('stop-min-trials', own.get('stop-min-trials')!, 1, 10_000)
          : 3,
        fromEpoch: 2,
      };
    if (rules.includes('diagnosis'))
      spec.earlyStopping.diagnosis = {
        patience: own.has('stop-patience')
          ? whole('stop-patience', own.get('stop-patience')!, 0, 10_000)
          : 3,
      };
  }
  if (spec.search === 'grid' && spec.trials !== undefined && !own.has('search') && !file)
    throw new UsageError(
      '--trials: only with --search random (a grid has one config per combination)',
    );
  return { spec, dryRun, tracker: own.get('tracker') };
}

export const sweepHelp = `Usage: pnpm sweep --name <name> [pnpm train flags, any of them a list or a range] [options]

Creates a sweep: many runs of pnpm train, queued at the tracker for workers (pnpm worker) on
this machine and any other that reaches it. Every run is a normal run, linked to its sweep.

  --augment none,flip,flip+shift=4 --dropout 0,0.3,0.5    a grid: 3 × 3 = 9 runs
  --search random --trials 20 --lr log:1e-5..1e-2         20 samples (log-uniform)
  --dropout 0..0.5                                        uniform range (random search)

Options:
  --name <name>             the sweep's name (required, or in the file)
  --search grid|random      grid (default): every combination; random: --trials samples
  --trials <n>              random search: how many configs (1 … 10,000)
  --sample-seed <n>         random search: the sampler's seed (default 0)
  --max-attempts <n>        attempts a trial gets when workers die (default 3)
  --lease-seconds <s>       a worker's lease on its trial, renewed by heartbeats (default 60, ≥ 10)
  --stop median,diagnosis   stop bad trials early: the median rule and/or the diagnosis rule
  --stop-min-trials <n>     median rule: finished trials needed first (default 3)
  --stop-patience <n>       diagnosis rule: epochs of overfitting allowed (default 3)
  --file <sweep.yaml>       a sweep file (YAML or JSON); flags win over its keys
  --tracker <url>           the tracker (default http://127.0.0.1:4100/trpc; TRACKER_TOKEN for its token)
  --dry-run                 list the configs; create nothing

Grids over 10,000 configs are refused. Every config is checked with pnpm train's own flags
before anything is created.
`;
