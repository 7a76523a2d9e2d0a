import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';

export const defaultTrackerUrl = 'http://127.0.0.1:4100/trpc';

/** Bad flags or config: the message names the flag and what it accepts. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/**
 * VGG16's conv layers by their Keras names (the model package's VGG16_LAYER_NAMES without the
 * pools; cli.test.ts checks they agree). Listed here so that --help need not load TensorFlow.js.
 */
export const vgg16ConvLayers = [2, 2, 3, 3, 3].flatMap((convs, b) =>
  Array.from({ length: convs }, (_, i) => `block${b + 1}_conv${i + 1}`),
);

/** A flag's value as typed, or already typed in a --config file. */
const fromText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), schema);
const int = (what: string) =>
  fromText(z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }));
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

const augmentSchema = z
  .preprocess(
    (v) => (typeof v === 'string' || Array.isArray(v) ? parseAugment(v) : v),
    z.object(
      {
        flip: z.boolean().default(false),
        shift: z
          .number()
          .int({ error: 'expected shift N with N a whole number of pixels 0 … 31' })
          .min(0, 'expected shift N with N from 0 to 31 pixels')
          .max(31, 'expected shift N with N from 0 to 31 pixels')
          .default(0),
      },
      {
        error:
          'expected none, flip, shift=N (pixels, 0 … 31) or several joined by commas: flip,shift=4',
      },
    ),
  )
  .default({ flip: false, shift: 0 });

/** What a run is, from flags and --config; every field has the seed's default. */
export const trainConfigSchema = z.object({
  epochs: int('a whole number of epochs ≥ 1').pipe(z.number().min(1, 'expected ≥ 1')).default(25),
  batchSize: int('a whole number of images ≥ 1')
    .pipe(z.number().min(1, 'expected ≥ 1'))
    .default(64),
  optimizer: z
    .enum(['rmsprop', 'adam', 'sgd'], { error: 'expected rmsprop, adam or sgd' })
    .default('rmsprop'),
  /** Default: 0.001 for rmsprop and adam, 0.01 for sgd (Keras'). */
  lr: fromText(
    z.number({ error: 'expected a learning rate > 0' }).gt(0, 'expected > 0'),
  ).optional(),
  trainableFrom: z
    .string()
    .refine((name) => vgg16ConvLayers.includes(name), {
      error: `expected a VGG16 conv layer: ${vgg16ConvLayers.join(', ')}`,
    })
    .default('block5_conv1'),
  denseUnits: int('a whole number of units ≥ 1')
    .pipe(z.number().min(1, 'expected ≥ 1'))
    .default(512),
  dropout: fromText(
    z
      .number({ error: 'expected a rate from 0 (none) up to, not including, 1' })
      .min(0, 'expected 0 ≤ rate < 1')
      .lt(1, 'expected 0 ≤ rate < 1'),
  ).default(0),
  augment: augmentSchema,
  validation: z
    .preprocess(
      (v) => (typeof v === 'string' && v !== 'test' ? Number(v) : v),
      z.union([z.literal('test'), z.number().gt(0).lt(1)], {
        error: "expected 'test' or a fraction of the training set between 0 and 1, e.g. 0.1",
      }),
    )
    .default('test'),
  subset: int('a whole number of images ≥ 10')
    .pipe(z.number().min(10, 'expected ≥ 10 (one image a class)'))
    .optional(),
  seed: int('a whole number').default(42),
  weights: z.string().min(1, 'expected imagenet, none or a path to a .h5 file').default('imagenet'),
  preprocessing: z
    .enum(['caffe', 'unit'], { error: 'expected caffe (ImageNet weights) or unit (x / 255)' })
    .default('caffe'),
  data: z.string().min(1, 'expected a .tar.gz, a folder or a URL').optional(),
  backend: z
    .enum(['auto', 'tensorflow', 'wasm', 'cpu'], {
      error: 'expected auto, tensorflow, wasm or cpu',
    })
    .default('auto'),
  cacheFeatures: z
    .enum(['auto', 'on', 'off'], { error: 'expected auto, on or off' })
    .default('auto'),
  /** What runs the frozen layers: tfjs (on its backend) or ONNX Runtime; auto picks. */
  frozenEngine: z
    .enum(['auto', 'tfjs', 'onnx'], { error: 'expected auto, tfjs or onnx' })
    .default('auto'),
  /** What trains block5 and the head on frozen features: tfjs or ONNX Runtime; auto picks. */
  suffixEngine: z
    .enum(['auto', 'tfjs', 'onnx'], { error: 'expected auto, tfjs or onnx' })
    .default('auto'),
  /** Patience in epochs; the best epoch's weights are restored at the end. */
  earlyStopping: int('a patience: a whole number of epochs ≥ 0')
    .pipe(z.number().min(0, 'expected ≥ 0'))
    .optional(),
  name: z.string().trim().min(1, 'expected a non-empty name').max(200).optional(),
  tag: z
    .preprocess(
      (v) => (typeof v === 'string' ? [v] : v),
      z.array(
        z
          .string()
          .trim()
          .max(64, 'expected a tag of at most 64 characters')
          .regex(/^[\p{L}\p{N}](?:[\p{L}\p{N} _.:/+-]*[\p{L}\p{N}])?$/u, {
            error: 'expected letters and digits, with space _ . : / + - between them',
          }),
      ),
    )
    .default([]),
  notes: z.string().default(''),
  tracker: z
    .url({
      protocol: /^https?$/,
      error: 'expected an http(s) URL, e.g. http://127.0.0.1:4100/trpc',
    })
    .default(defaultTrackerUrl),
  offline: bool.default(false),
  quiet: bool.default(false),
  json: bool.default(false),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;
type ConfigKey = keyof TrainConfig;

/** The flag of each config key, for messages. */
const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function parseAugment(value: string | string[]): { flip: boolean; shift: number } | string {
  const parts = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(/[,+]/))
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const out = { flip: false, shift: 0 };
  for (const part of parts) {
    if (part === 'none') continue;
    if (part === 'flip') out.flip = true;
    else {
      const shift = part.match(/^shift(?:[=: ]?(\d+)(?:px)?)?$/);
      if (!shift) return value.toString(); // zod then reports what is accepted
      out.shift = shift[1] === undefined ? 4 : Number(shift[1]);
    }
  }
  return out;
}

function program(): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  return new Command()
    .name('pnpm train')
    .description(
      'Train VGG16 (ImageNet weights) on CIFAR-10 and report the run live to the tracker.\n' +
        'Every flag has the seed experiment as its default; flags win over --config.',
    )
    .helpOption('-h, --help', 'show this help')
    .option('--epochs <n>', 'epochs to train (default 25)')
    .option('--batch-size <n>', 'images per batch (default 64)')
    .addOption(
      new Option('--optimizer <name>', 'optimizer (default rmsprop)').choices([
        'rmsprop',
        'adam',
        'sgd',
      ]),
    )
    .option('--lr <rate>', 'learning rate (default 0.001; sgd 0.01)')
    .option('--trainable-from <layer>', 'first VGG16 layer that trains (default block5_conv1)')
    .option('--dense-units <n>', 'units of the hidden Dense relu layer (default 512)')
    .option('--dropout <rate>', 'dropout after the hidden layer, 0 ≤ rate < 1 (default 0: none)')
    .option(
      '--augment <kinds>',
      'none | flip | shift=N (pixels; bare shift is 4), combinable: flip,shift=4 (repeatable)',
      collect,
    )
    .option('--validation <set>', "'test' (default) or a fraction of train held out, e.g. 0.1")
    .option('--subset <n>', 'use N images per split, balanced across classes (quick runs)')
    .option('--seed <n>', 'seed of the shuffle, split and augmentation (default 42)')
    .option('--weights <source>', 'imagenet (default) | none (random init) | path to a Keras .h5')
    .addOption(
      new Option(
        '--preprocessing <mode>',
        'caffe (default, what ImageNet weights expect) | unit (x/255)',
      ).choices(['caffe', 'unit']),
    )
    .option('--data <source>', 'CIFAR-10 .tar.gz, extracted folder or URL (default: download)')
    .addOption(
      new Option('--backend <name>', 'tfjs backend (default auto)').choices([
        'auto',
        'tensorflow',
        'wasm',
        'cpu',
      ]),
    )
    .addOption(
      new Option('--cache-features <mode>', 'frozen-prefix feature cache (default auto)').choices([
        'auto',
        'on',
        'off',
      ]),
    )
    .addOption(
      new Option(
        '--frozen-engine <engine>',
        'what runs the frozen layers: tfjs, onnx (ONNX Runtime) or auto (default: tfjs on native TensorFlow, else onnx)',
      ).choices(['auto', 'tfjs', 'onnx']),
    )
    .addOption(
      new Option(
        '--suffix-engine <engine>',
        'what trains the layers after the frozen ones, on their features: tfjs, onnx (ONNX Runtime) or auto (default: tfjs on native TensorFlow, else onnx where the layers allow)',
      ).choices(['auto', 'tfjs', 'onnx']),
    )
    .option(
      '--early-stopping <patience>',
      'stop after N epochs without better val_loss; restores the best weights',
    )
    .option('--name <name>', 'run name (default: a generated one)')
    .option('--tag <tag>', 'tag the run (repeatable)', collect)
    .option('--notes <text>', 'notes for the run')
    .option(
      '--config <file>',
      'JSON file of the same settings (camelCase or flag names); flags win',
    )
    .option('--tracker <url>', `tracker tRPC URL (default ${defaultTrackerUrl})`)
    .option('--offline', 'do not contact the tracker: spool everything (send later with pnpm sync)')
    .option('--quiet', 'print only warnings, errors and the final summary')
    .option('--json', 'print JSON lines (one event a line) instead of the console display')
    .addHelpText(
      'after',
      `
Examples:
  pnpm train --subset 2000 --epochs 2            a quick run (add --weights none without the ImageNet file)
  pnpm train --data ~/cifar-10-binary.tar.gz --augment flip,shift=4 --early-stopping 3 --tag aug
  pnpm train --offline --quiet                    spool only; later: pnpm sync

The tracker: with the default --tracker and none answering, one is started in the background
(log tracker.log, pid tracker.pid in TRAINBOOK_HOME, by default ~/.local/share/trainbook) and
left running for the dashboard; stop it with kill $(cat ~/.local/share/trainbook/tracker.pid). Each run's reports are journaled
under $TRAINBOOK_HOME/spool first, so nothing is lost while the tracker is down.
Environment: TRAINBOOK_HOME, TRACKER_TOKEN, TRAINBOOK_CACHE_DIR (downloads), TRAINBOOK_HEARTBEAT_SECONDS,
TRAINBOOK_FLUSH_SECONDS, TRAINBOOK_DASHBOARD_URL.
Exit codes: 0 finished, 1 failed, 2 bad flags, 130 stopped with Ctrl-C.`,
    )
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
}

/**
 * Parses `argv` with `cmd`; a leading `--` (as `pnpm train -- --epochs 2` passes it) is
 * dropped. Returns the help text when --help was asked for, else undefined; a bad flag is a
 * UsageError whose message ends with `seeHelp`.
 */
export function parseFlags(
  cmd: Command,
  argv: string[],
  seeHelp: string,
): { help: string } | undefined {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let help = '';
  cmd
    .exitOverride()
    .configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
  try {
    cmd.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed') return { help };
      throw new UsageError(`${error.message.replace(/^error: /, '')}\n${seeHelp}`);
    }
    throw error;
  }
  return undefined;
}

export type CliResult = { kind: 'help'; text: string } | { kind: 'train'; config: TrainConfig };

/**
 * Flags → a checked config. `argv` is what follows the program (a leading `--`, as
 * `pnpm train -- --epochs 2` passes it, is dropped). Relative paths are resolved against `cwd`.
 */
export function parseCli(argv: string[], options: { cwd: string }): CliResult {
  const cmd = program();
  const asked = parseFlags(cmd, argv, 'See pnpm train --help for every flag.');
  if (asked) return { kind: 'help', text: asked.help };
  const flags = cmd.opts<Record<string, unknown>>();
  const { config: configFile, ...given } = flags;
  const fromFile = configFile ? readConfigFile(resolve(options.cwd, String(configFile))) : {};
  const merged: Record<string, unknown> = { ...fromFile, ...given };
  const parsed = trainConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const source = key in given ? flagOf(key) : `${flagOf(key)} (from ${String(configFile)})`;
      const got = merged[key] === undefined ? '' : ` (got ${JSON.stringify(merged[key])})`;
      return `${source}: ${issue.message}${got}`;
    });
    throw new UsageError(`${lines.join('\n')}\nSee pnpm train --help for every flag.`);
  }
  const config = parsed.data;
  if (config.json && config.quiet) throw new UsageError('--json and --quiet: choose one');
  if (config.data && !/^https?:\/\//.test(config.data))
    config.data = resolve(options.cwd, config.data);
  if (!['imagenet', 'none'].includes(config.weights))
    config.weights = resolve(options.cwd, config.weights);
  return { kind: 'train', config };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${path} (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config: ${path} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--config: ${path} must hold a JSON object of settings`);
  }
  const known = new Set(Object.keys(trainConfigSchema.shape));
  const out: Record<string, unknown> = {};
  for (const [raw, v] of Object.entries(value)) {
    const key = camel(raw);
    if (!known.has(key)) {
      throw new UsageError(
        `--config: ${path} has an unknown setting "${raw}"; known: ${[...known].join(', ')}`,
      );
    }
    out[key as ConfigKey] = v;
  }
  return out;
}
