import { z } from 'zod';

const schema = z.object({
  /** The tracker's tRPC endpoint; the dashboard's server talks to it and proxies the browser. */
  TRACKER_URL: z
    .string()
    .url('TRACKER_URL: expected a URL such as http://127.0.0.1:4100/trpc')
    .default('http://127.0.0.1:4100/trpc'),
  /** The tracker's TRACKER_TOKEN, when it has one; kept on the server, never sent to the browser. */
  TRACKER_TOKEN: z.string().min(16, 'TRACKER_TOKEN: at least 16 characters').optional(),
});

export type DashboardEnv = z.infer<typeof schema>;

function readEnv(): DashboardEnv {
  const clean = Object.fromEntries(
    Object.entries({
      TRACKER_URL: process.env.TRACKER_URL,
      TRACKER_TOKEN: process.env.TRACKER_TOKEN,
    }).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    throw new Error(
      `Invalid dashboard settings:\n${parsed.error.issues.map((i) => `  ${i.message}`).join('\n')}`,
    );
  }
  return { ...parsed.data, TRACKER_URL: parsed.data.TRACKER_URL.replace(/\/+$/, '') };
}

export const env = readEnv();
