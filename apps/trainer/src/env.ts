import { defaultHome } from '@trainbook/host';

import { z } from 'zod';

const seconds = (name: string) =>
  z.coerce
    .number({ error: `${name}: expected a number of seconds` })
    .positive(`${name}: expected a number of seconds above 0`);

const schema = z.object({
  /** Where runs, spools and the embedded store live (the tracker's default too). */
  TRAINBOOK_HOME: z.string().min(1).optional(),
  /** The tracker's TRACKER_TOKEN, when it has one. */
  TRACKER_TOKEN: z.string().min(1).optional(),
  /** How often the trainer tells the tracker it is alive. */
  TRAINBOOK_HEARTBEAT_SECONDS: seconds('TRAINBOOK_HEARTBEAT_SECONDS').default(10),
  /** How long the end of a run waits for an unreachable tracker before leaving the rest in the spool. */
  TRAINBOOK_FLUSH_SECONDS: seconds('TRAINBOOK_FLUSH_SECONDS').default(15),
  /** The dashboard's base URL, for the run link printed at start. */
  TRAINBOOK_DASHBOARD_URL: z.url().default('http://127.0.0.1:3000'),
  /** pnpm sets it to the folder the command was typed in; relative paths are relative to it. */
  INIT_CWD: z.string().min(1).optional(),
});

export type TrainerEnv = z.infer<typeof schema> & { TRAINBOOK_HOME: string; cwd: string };

/** The trainer's settings from the environment, checked once at start. */
export function readEnv(source: Record<string, string | undefined> = process.env): TrainerEnv {
  const clean = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    throw new Error(
      `Invalid trainer settings: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return {
    ...parsed.data,
    TRAINBOOK_HOME: parsed.data.TRAINBOOK_HOME ?? defaultHome(source),
    cwd: parsed.data.INIT_CWD ?? process.cwd(),
  };
}

/** The environment a child process (the tracker) inherits. */
export function inheritedEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
