import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { AttemptFailure, DownloadError, describeCause } from './errors.js';
import type { DownloadEvent } from './events.js';
import { formatCount } from './format-bytes.js';
import { hashFile } from './hash-file.js';
import {
  type DownloadOptions,
  parseDownloadOptions,
  type ResolvedDownloadOptions,
} from './options.js';
import { retryDelay, sleep } from './retry.js';
import { removeStaleTempFiles, tempPathFor } from './temp-file.js';
import { freshState, transferOnce } from './transfer.js';

export interface DownloadResult {
  /** Absolute path of the verified file. */
  path: string;
  bytes: number;
  /** True when a verified file was already there and no request was made. */
  cached: boolean;
  /** HTTP requests made (0 when cached). */
  attempts: number;
}

const progressIntervalMs = 100;

/**
 * Downloads `url` to its destination unless a file with the right checksum is already there.
 * Bytes go to a temp file beside the destination and are hashed as they arrive; only a file
 * of the right size and checksum is renamed into place, so the destination is never partial.
 * A transfer that breaks off is retried with backoff, resuming with a Range request where the
 * server allows it.
 */
export async function download(options: DownloadOptions): Promise<DownloadResult> {
  const o = parseDownloadOptions(options);
  const emit = (event: DownloadEvent) => o.onProgress?.(event);
  try {
    await fileSystemStep(o, 'create the folder', () => mkdir(dirname(o.dest), { recursive: true }));
    const cachedBytes = await reuseCached(o, emit);
    if (cachedBytes !== undefined) {
      return { path: o.dest, bytes: cachedBytes, cached: true, attempts: 0 };
    }
    await fileSystemStep(o, 'clean up', () => removeStaleTempFiles(o.dest));
    return await fetchToCache(o, emit);
  } catch (error) {
    const failure = toDownloadError(o, error);
    emit({ type: 'failed', url: o.url, error: failure });
    throw failure;
  }
}

async function reuseCached(
  o: ResolvedDownloadOptions,
  emit: (event: DownloadEvent) => void,
): Promise<number | undefined> {
  const info = await stat(o.dest).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return undefined;
  if (!info.isFile()) {
    throw new DownloadError({
      code: 'FILE_SYSTEM',
      url: o.url,
      path: o.dest,
      message: `Cannot download ${o.url} to ${o.dest}: something other than a file is already there.`,
    });
  }
  let reason: string;
  if (o.expectedBytes !== undefined && info.size !== o.expectedBytes) {
    reason = `it has ${formatCount(info.size)} bytes, expected ${formatCount(o.expectedBytes)}`;
  } else {
    emit({ type: 'verifying', url: o.url, path: o.dest, bytes: info.size });
    const actual = await hashFile(o.dest, o.checksum.algorithm);
    if (actual === o.checksum.hex) {
      emit({ type: 'cache-hit', url: o.url, path: o.dest, bytes: info.size });
      return info.size;
    }
    reason = `its ${o.checksum.algorithm} is ${actual}, expected ${o.checksum.hex}`;
  }
  // A wrong file in the cache is never used; it is removed and fetched again.
  emit({ type: 'cache-invalid', url: o.url, path: o.dest, reason });
  await rm(o.dest, { force: true });
  return undefined;
}

async function fetchToCache(
  o: ResolvedDownloadOptions,
  emit: (event: DownloadEvent) => void,
): Promise<DownloadResult> {
  const started = performance.now();
  const temp = tempPathFor(o.dest);
  const file = await fileSystemStep(o, 'create a temp file', () => open(temp, 'wx'));
  let closed = false;
  try {
    const state = freshState(o.checksum.algorithm);
    const maxAttempts = o.retries + 1;
    let attempt = 1;
    let lastProgressAt = 0;
    for (; ; attempt += 1) {
      try {
        await transferOnce({
          url: o.url,
          file,
          state,
          expectedBytes: o.expectedBytes,
          stallTimeoutMs: o.stallTimeoutMs,
          signal: o.signal,
          onStart: (resumeFrom) =>
            emit({
              type: 'start',
              url: o.url,
              path: o.dest,
              attempt,
              resumeFrom,
              totalBytes: state.totalBytes,
            }),
          onBytes: () => {
            const now = performance.now();
            if (now - lastProgressAt < progressIntervalMs && state.received !== state.totalBytes) {
              return;
            }
            lastProgressAt = now;
            emit({
              type: 'progress',
              url: o.url,
              receivedBytes: state.received,
              totalBytes: state.totalBytes,
            });
          },
        });
        break;
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        if (!error.retryable || attempt >= maxAttempts) throw finalError(o, error, attempt);
        const delayMs = retryDelay({
          retryNumber: attempt,
          baseMs: o.retryDelayMs,
          maxMs: o.maxRetryDelayMs,
          retryAfterSeconds: error.retryAfterSeconds,
        });
        emit({
          type: 'retry',
          url: o.url,
          attempt,
          maxAttempts,
          delayMs,
          reason: error.message,
          receivedBytes: state.received,
        });
        await sleep(delayMs, o.signal);
      }
    }

    await file.sync();
    await file.close();
    closed = true;
    if (o.expectedBytes !== undefined && state.received !== o.expectedBytes) {
      throw finalError(
        o,
        new AttemptFailure({
          code: 'SIZE_MISMATCH',
          retryable: false,
          message: `it has ${formatCount(state.received)} bytes, expected ${formatCount(o.expectedBytes)}`,
        }),
        attempt,
      );
    }
    const actual = state.hash.digest('hex');
    if (actual !== o.checksum.hex) {
      throw new DownloadError({
        code: 'CHECKSUM_MISMATCH',
        url: o.url,
        path: o.dest,
        message: `${basename(o.dest)} downloaded from ${o.url} failed its ${o.checksum.algorithm} check: expected ${o.checksum.hex}, got ${actual}. The download was discarded. ${manualStep(o)}`,
      });
    }
    await rename(temp, o.dest);
    emit({
      type: 'done',
      url: o.url,
      path: o.dest,
      bytes: state.received,
      seconds: (performance.now() - started) / 1000,
    });
    return { path: o.dest, bytes: state.received, cached: false, attempts: attempt };
  } finally {
    if (!closed) await file.close().catch(() => undefined);
    // After a successful rename the temp path no longer exists; otherwise nothing half-written stays.
    await rm(temp, { force: true });
  }
}

function finalError(o: ResolvedDownloadOptions, failure: AttemptFailure, attempts: number) {
  const name = basename(o.dest);
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const lead: Record<AttemptFailure['code'], string> = {
    HTTP_STATUS: `Could not download ${name}: ${o.url} ${failure.message} (${tries})`,
    UNREACHABLE: `Could not download ${name}: ${o.url} is unreachable (${failure.message}; ${tries})`,
    CUT_OFF: `Could not download ${name}: the transfer from ${o.url} broke off ${attempts === 1 ? 'and was not retried' : `on all ${tries}`}, last ${failure.message}`,
    SIZE_MISMATCH: `Could not download ${name} from ${o.url}: ${failure.message}`,
    FILE_SYSTEM: `Could not download ${name} to ${o.dest}: ${failure.message}`,
    CHECKSUM_MISMATCH: `Could not download ${name} from ${o.url}: ${failure.message}`,
    ABORTED: `Download of ${o.url} was cancelled`,
  };
  return new DownloadError({
    code: failure.code,
    url: o.url,
    path: o.dest,
    message: `${lead[failure.code]}. ${manualStep(o)}`,
    cause: failure,
  });
}

/** Says how to get going without the network: which file, where, and how it is checked. */
function manualStep(o: ResolvedDownloadOptions): string {
  const size = o.expectedBytes === undefined ? '' : `, ${formatCount(o.expectedBytes)} bytes`;
  const text = `To provide it by hand, fetch ${o.url} another way and save it as ${o.dest} (${o.checksum.algorithm} ${o.checksum.hex}${size}); it is verified and used from there.`;
  return o.hint ? `${text} ${o.hint}` : text;
}

function toDownloadError(o: ResolvedDownloadOptions, error: unknown): DownloadError {
  if (error instanceof DownloadError) return error;
  if (o.signal?.aborted) {
    return new DownloadError({
      code: 'ABORTED',
      url: o.url,
      path: o.dest,
      message: `Download of ${o.url} was cancelled; nothing was left at ${o.dest}.`,
      cause: error,
    });
  }
  return new DownloadError({
    code: 'FILE_SYSTEM',
    url: o.url,
    path: o.dest,
    message: `Could not download ${o.url} to ${o.dest}: ${describeCause(error)}`,
    cause: error,
  });
}

async function fileSystemStep<T>(
  o: ResolvedDownloadOptions,
  what: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new DownloadError({
      code: 'FILE_SYSTEM',
      url: o.url,
      path: o.dest,
      message: `Could not ${what} for ${o.dest}: ${describeCause(error)}`,
      cause: error,
    });
  }
}
