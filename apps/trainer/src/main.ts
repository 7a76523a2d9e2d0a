import { defaultTrackerUrl, parseCli, UsageError } from './cli.js';
import { ConsoleOutput, type OutputMode } from './console/console-output.js';
import { DataError } from './data/data-error.js';
import { inheritedEnv, readEnv } from './env.js';
import { ensureTracker } from './reporting/ensure-tracker.js';

/** `pnpm train`: exit 0 finished, 1 failed, 2 bad flags or settings, 130 stopped by Ctrl-C. */
async function main(argv: string[]): Promise<number> {
  let env: ReturnType<typeof readEnv>;
  let parsed: ReturnType<typeof parseCli>;
  try {
    env = readEnv();
    parsed = parseCli(argv, { cwd: env.cwd });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  const { config } = parsed;
  const mode: OutputMode = config.json ? 'json' : config.quiet ? 'quiet' : 'console';
  const output = new ConsoleOutput(mode);

  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) {
      output.warn('second Ctrl-C: exiting now; what was not sent is in the spool (pnpm sync)');
      process.exit(130);
    }
    output.warn('Ctrl-C: stopping after the current batch (press again to exit at once)');
    controller.abort();
  });

  let trackerUrl: string | null = null;
  if (!config.offline) {
    trackerUrl = config.tracker;
    const tracker = await ensureTracker({
      trackerUrl,
      home: env.TRAINBOOK_HOME,
      autoStart: config.tracker === defaultTrackerUrl,
      env: inheritedEnv(),
      log: (line) => output.info(line),
    });
    if (tracker.kind === 'started') {
      output.info(
        `tracker started (pid ${tracker.pid}); it keeps running for the dashboard — stop it with: kill ${tracker.pid}`,
        { trackerPid: tracker.pid, trackerLog: tracker.log },
      );
    } else if (tracker.kind === 'unreachable') {
      output.warn(
        `${tracker.reason}; training anyway: reports are spooled and sent when it answers (or with pnpm sync)`,
      );
    }
  }

  try {
    // Loaded only now, so --help and flag errors answer without starting TensorFlow.js.
    const { train } = await import('./train.js');
    const outcome = await train({ config, env, output, signal: controller.signal, trackerUrl });
    const s = outcome.summary as {
      bestEpoch: number | null;
      bestValAccuracy: number | null;
      epochs: number;
      final: {
        loss: number;
        accuracy: number;
        val_loss: number | null;
        val_accuracy: number | null;
      } | null;
    } | null;
    const lines = [
      `run ${outcome.runId}: ${outcome.status}${outcome.error ? ` (${outcome.error.message})` : ''}`,
    ];
    if (s?.final) {
      lines.push(
        `  epochs: ${s.epochs}; best epoch ${s.bestEpoch} with val_accuracy ${fmt(s.bestValAccuracy)}`,
        `  final: loss ${fmt(s.final.loss)}, accuracy ${fmt(s.final.accuracy)}, val_loss ${fmt(s.final.val_loss)}, val_accuracy ${fmt(s.final.val_accuracy)}`,
      );
    }
    if (outcome.diagnosis) lines.push(`  verdict: ${outcome.diagnosis.verdict.summary}`);
    for (const f of outcome.diagnosis?.findings ?? []) {
      const onset = f.onsetEpoch === null ? '' : ` from epoch ${f.onsetEpoch}`;
      lines.push(`  ${f.kind.replaceAll('_', ' ')}${onset}: ${f.explanation}`);
      for (const step of f.nextSteps)
        lines.push(`    try: pnpm train ${step.flags}  (${step.why}; expect: ${step.expect})`);
    }
    lines.push(`  ${env.TRAINBOOK_DASHBOARD_URL.replace(/\/$/, '')}/runs/${outcome.runId}`);
    const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    lines.push(`  peak memory (RSS): ${peakRssMB} MB`);
    output.summary(lines, {
      peakRssMB,
      runId: outcome.runId,
      status: outcome.status,
      summary: outcome.summary,
      findings: outcome.diagnosis?.findings ?? [],
      error: outcome.error?.message ?? null,
    });
    if (outcome.error) output.error(outcome.error.message);
    return outcome.status === 'finished' ? 0 : outcome.status === 'killed' ? 130 : 1;
  } catch (error) {
    // Before the run exists (data, backend, weights): nothing to report, only to explain.
    const err = error as Error;
    const where = error instanceof DataError ? ` [${error.file}]` : '';
    output.error(
      `${err.message}${where && !err.message.includes(error instanceof DataError ? error.file : '\0') ? where : ''}`,
    );
    return controller.signal.aborted ? 130 : 1;
  }
}

const fmt = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(4) : 'n/a');

main(process.argv.slice(2)).then(
  (code) => {
    // Worker threads of the wasm backend would keep the process alive.
    process.exit(code);
  },
  (error: Error) => {
    process.stderr.write(`error: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
