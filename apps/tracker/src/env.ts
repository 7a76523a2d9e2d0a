import { isIP } from 'node:net';
import { defaultHome } from '@trainbook/host';
import { z } from 'zod';

const loopbackNames = new Set(['localhost', '127.0.0.1', '::1']);
export const isLoopback = (host: string) =>
  loopbackNames.has(host) || (isIP(host) === 4 && host.startsWith('127.'));

const schema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce
      .number({ error: 'PORT: expected a port number from 0 to 65535' })
      .int('PORT: expected a whole port number')
      .min(0, 'PORT: expected a port number from 0 to 65535')
      .max(65_535, 'PORT: expected a port number from 0 to 65535')
      .default(4100),
    TRACKER_TOKEN: z.string().min(16, 'TRACKER_TOKEN: at least 16 characters').optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL: expected postgresql://user@host:port/database')
      .optional(),
    TRAINBOOK_HOME: z.string().min(1).optional(),
    /** Seconds without a heartbeat before a running run is marked crashed. */
    TRACKER_HEARTBEAT_TIMEOUT: z.coerce.number().positive().default(120),
    TRACKER_CORS_ORIGINS: z
      .string()
      .default('http://localhost:3000,http://127.0.0.1:3000')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    /** Seconds between checks for sweep trials whose worker's lease lapsed. */
    TRACKER_SWEEP_CHECK_SECONDS: z.coerce
      .number({ error: 'TRACKER_SWEEP_CHECK_SECONDS: expected a number of seconds' })
      .int('TRACKER_SWEEP_CHECK_SECONDS: expected whole seconds')
      .min(1, 'TRACKER_SWEEP_CHECK_SECONDS: expected at least 1')
      .max(600, 'TRACKER_SWEEP_CHECK_SECONDS: expected at most 600')
      .default(5),
    TRACKER_MAX_BODY_MB: z.coerce.number().positive().max(1024).default(32),
    /** Postgres connections the tracker holds at most: one per write in progress. */
    TRACKER_DB_POOL: z.coerce
      .number({ error: 'TRACKER_DB_POOL: expected a number of connections from 1 to 1000' })
      .int('TRACKER_DB_POOL: expected a whole number of connections')
      .min(1, 'TRACKER_DB_POOL: expected a number of connections from 1 to 1000')
      .max(1000, 'TRACKER_DB_POOL: expected a number of connections from 1 to 1000')
      .default(20),
    /** Transactions writing metric points at once; batches arriving meanwhile share one. */
    TRACKER_POINT_TRANSACTIONS: z.coerce
      .number({ error: 'TRACKER_POINT_TRANSACTIONS: expected a number from 1 to 64' })
      .int('TRACKER_POINT_TRANSACTIONS: expected a whole number')
      .min(1, 'TRACKER_POINT_TRANSACTIONS: expected a number from 1 to 64')
      .max(64, 'TRACKER_POINT_TRANSACTIONS: expected a number from 1 to 64')
      .default(2),
  })
  .refine((env) => isLoopback(env.HOST) || env.TRACKER_TOKEN, {
    message:
      'HOST: binding a non-loopback address exposes every run to the network; set TRACKER_TOKEN (16+ characters) first',
    path: ['HOST'],
  });

export type TrackerEnv = z.infer<typeof schema> & { TRAINBOOK_HOME: string };

export class EnvError extends Error {}

/** Reads and checks the tracker's settings once, at start. */
export function readEnv(source: Record<string, string | undefined> = process.env): TrackerEnv {
  const clean = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '');
      const got =
        name && source[name] !== undefined ? ` (got ${JSON.stringify(source[name])})` : '';
      return `  ${name ? `${name}: ` : ''}${issue.message.replace(new RegExp(`^${name}: `), '')}${got}`;
    });
    throw new EnvError(`Invalid tracker settings:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, TRAINBOOK_HOME: parsed.data.TRAINBOOK_HOME ?? defaultHome(source) };
}
