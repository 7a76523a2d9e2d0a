import 'server-only';

export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string; notFound: boolean };

/**
 * Runs a tracker call for a page and turns failure into a value the page can show (with a
 * retry) — a stopped tracker must never crash the dashboard, and production builds hide
 * thrown messages from error boundaries.
 */
export async function load<T>(call: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await call() };
  } catch (error) {
    const e = error as Error & { data?: { code?: string }; cause?: Error };
    const notFound = e.data?.code === 'NOT_FOUND';
    const unreachable = !e.data;
    const message = unreachable
      ? `The tracker is not answering (${e.cause?.message ?? e.message}). Start it with \`pnpm tracker\` and retry.`
      : e.message;
    return { ok: false, message, notFound };
  }
}
