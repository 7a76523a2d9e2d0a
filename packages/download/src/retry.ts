/** Exponential backoff: base, 2×base, 4×base, ... capped; a server's Retry-After wins if longer. */
export function retryDelay(options: {
  retryNumber: number;
  baseMs: number;
  maxMs: number;
  retryAfterSeconds: number | undefined;
}): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** (options.retryNumber - 1));
  const requested =
    options.retryAfterSeconds === undefined
      ? 0
      : Math.min(options.maxMs, options.retryAfterSeconds * 1000);
  return Math.max(exponential, requested);
}

/** Waits, but gives up at once when the caller aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
