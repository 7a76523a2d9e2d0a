import { join } from 'node:path';
import type { TrainConfig } from '../cli.js';
import type { ConsoleOutput } from '../console/console-output.js';
import type { TrainerEnv } from '../env.js';
import type { CreateRunInput } from '../reporting/journal.js';
import { RunReporter } from '../reporting/run-reporter.js';
import { gitState, host, versions } from '../run-env.js';

type JsonObject = NonNullable<CreateRunInput['params']>;

/** What a run records about itself: its params (what was asked) and env (what ran it). */
export interface RunRecord {
  id: string;
  params: JsonObject;
  env: JsonObject;
  /** The sweep trial this run is an attempt of. */
  sweep?: CreateRunInput['sweep'];
}

/** The run's params: its flags less the ones that only steer this process, plus what was resolved. */
export function runParams(
  config: TrainConfig,
  resolved: { lr: number; weights: string; trainImages: number; validationImages: number },
): JsonObject {
  const { offline, tracker, quiet, json, lr, ...params } = config;
  return { ...params, ...resolved };
}

/** The host, versions and git state of this process, for the run's env. */
export function processEnv(): JsonObject {
  return { versions: versions(), git: gitState(), host: host(), node: process.version };
}

/**
 * The run's reporter: creates the run at the tracker (or in the spool when offline) and says
 * on the console where its reports are when the tracker does not take them.
 */
export function openReporter(options: {
  record: RunRecord;
  config: TrainConfig;
  env: TrainerEnv;
  output: ConsoleOutput;
  trackerUrl: string | null;
}): RunReporter {
  const { record, config, env, output } = options;
  const journalPath = join(env.TRAINBOOK_HOME, 'spool', `${record.id}.jsonl`);
  let wasUnreachable = false;
  const reporter = new RunReporter({
    spoolDir: join(env.TRAINBOOK_HOME, 'spool'),
    trackerUrl: options.trackerUrl,
    token: env.TRACKER_TOKEN,
    heartbeatMs: env.TRAINBOOK_HEARTBEAT_SECONDS * 1000,
    run: {
      id: record.id,
      ...(record.sweep ? { sweep: record.sweep } : {}),
      ...(config.name ? { name: config.name } : {}),
      params: record.params,
      env: record.env,
      notes: config.notes,
      tags: config.tag,
      startedAt: new Date(),
    },
    onState: (state) => {
      if (state.kind === 'unreachable' && state.attempt === 1)
        output.warn(
          `tracker unreachable (${state.error}); training goes on, reports wait in ${journalPath} and are retried`,
        );
      else if (state.kind === 'sending' && wasUnreachable)
        output.info('tracker reachable again: sending what waited');
      else if (state.kind === 'rejected')
        output.warn(
          `the tracker refused a report (${state.error}); the run stays in ${journalPath}, and pnpm sync moves it to the spool's quarantine folder`,
        );
      wasUnreachable = state.kind === 'unreachable';
    },
  });
  output.info(
    `run ${record.id}: ${env.TRAINBOOK_DASHBOARD_URL.replace(/\/$/, '')}/runs/${record.id}`,
    { runId: record.id, spool: reporter.journal.path },
  );
  if (!options.trackerUrl)
    output.info(`offline: reports go to ${reporter.journal.path}; send them later with pnpm sync`);
  return reporter;
}
