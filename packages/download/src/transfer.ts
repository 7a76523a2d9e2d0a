import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { AttemptFailure, describeCause } from './errors.js';
import { formatCount } from './format-bytes.js';
import type { ChecksumAlgorithm } from './hash-file.js';

/** What is on disk so far. `hash` has seen exactly the first `received` bytes of the file. */
export interface TransferState {
  algorithm: ChecksumAlgorithm;
  hash: Hash;
  received: number;
  /** Size the server announced (Content-Length or Content-Range), if it did. */
  totalBytes: number | undefined;
  /** Strong ETag or Last-Modified of the first response, sent as If-Range when resuming. */
  validator: string | undefined;
}

export function freshState(algorithm: ChecksumAlgorithm): TransferState {
  return {
    algorithm,
    hash: createHash(algorithm),
    received: 0,
    totalBytes: undefined,
    validator: undefined,
  };
}

interface TransferOptions {
  url: string;
  file: FileHandle;
  state: TransferState;
  expectedBytes: number | undefined;
  stallTimeoutMs: number;
  signal: AbortSignal | undefined;
  onStart: (resumeFrom: number) => void;
  onBytes: () => void;
}

/**
 * One HTTP request: continues the temp file with a Range request when it already holds bytes,
 * or starts over when the server ignores the range. Throws AttemptFailure for anything the
 * retry loop should judge; rethrows the caller's abort reason as is.
 */
export async function transferOnce(options: TransferOptions): Promise<void> {
  const { url, state, signal } = options;
  const stall = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const armStallTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      stall.abort(new Error(`no data for ${options.stallTimeoutMs} ms`));
    }, options.stallTimeoutMs);
  };
  const requestSignal = signal ? AbortSignal.any([signal, stall.signal]) : stall.signal;

  try {
    armStallTimer();
    let response: Response;
    try {
      response = await fetch(url, { headers: requestHeaders(state), signal: requestSignal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new AttemptFailure({
        code: 'UNREACHABLE',
        retryable: true,
        message: stalled ? `no answer within ${options.stallTimeoutMs} ms` : describeCause(error),
        cause: error,
      });
    }

    await acceptResponse(response, options);
    options.onStart(state.received);
    await writeBody(response, options, armStallTimer, () => stalled);
  } finally {
    clearTimeout(timer);
  }
}

function requestHeaders(state: TransferState): Record<string, string> {
  // A compressed transfer encoding would make fetch hand us other bytes than the file's.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (state.received > 0) {
    headers.range = `bytes=${state.received}-`;
    if (state.validator) headers['if-range'] = state.validator;
  }
  return headers;
}

async function acceptResponse(response: Response, options: TransferOptions): Promise<void> {
  const { state } = options;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (range?.start !== state.received) {
      await response.body?.cancel();
      await restart(options);
      throw new AttemptFailure({
        code: 'CUT_OFF',
        retryable: true,
        message: `the server resumed at the wrong offset (${response.headers.get('content-range')})`,
      });
    }
    state.totalBytes = range.total;
  } else if (response.ok) {
    // A 200 to a Range request means the server sends the whole file again.
    if (state.received > 0) await restart(options);
    const length = response.headers.get('content-length');
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    state.totalBytes = length && !encoded ? Number(length) : undefined;
    const etag = response.headers.get('etag');
    state.validator =
      (etag && !etag.startsWith('W/') ? etag : undefined) ??
      response.headers.get('last-modified') ??
      undefined;
  } else {
    await response.body?.cancel();
    if (response.status === 416) await restart(options);
    const status = response.status;
    throw new AttemptFailure({
      code: 'HTTP_STATUS',
      retryable: status >= 500 || status === 408 || status === 429 || status === 416,
      message: `answered ${status} ${response.statusText}`.trim(),
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    });
  }

  const expected = options.expectedBytes;
  if (expected !== undefined && state.totalBytes !== undefined && state.totalBytes !== expected) {
    await response.body?.cancel();
    throw new AttemptFailure({
      code: 'SIZE_MISMATCH',
      retryable: false,
      message: `the server says the file has ${formatCount(state.totalBytes)} bytes, expected ${formatCount(expected)}`,
    });
  }
}

async function writeBody(
  response: Response,
  options: TransferOptions,
  armStallTimer: () => void,
  isStalled: () => boolean,
): Promise<void> {
  const { file, state, signal } = options;
  const limit = state.totalBytes ?? options.expectedBytes;
  try {
    for await (const chunk of response.body ?? []) {
      armStallTimer();
      const bytes = chunk as Uint8Array;
      if (limit !== undefined && state.received + bytes.length > limit) {
        throw new AttemptFailure({
          code: 'SIZE_MISMATCH',
          retryable: false,
          message: `the server sent more than the ${formatCount(limit)} bytes expected`,
        });
      }
      await writeAll(file, bytes, state.received);
      state.hash.update(bytes);
      state.received += bytes.length;
      options.onBytes();
    }
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    if (signal?.aborted) throw signal.reason;
    if ((error as NodeJS.ErrnoException).syscall === 'write') {
      throw new AttemptFailure({
        code: 'FILE_SYSTEM',
        retryable: false,
        message: `writing the file failed: ${describeCause(error)}`,
        cause: error,
      });
    }
    throw new AttemptFailure({
      code: 'CUT_OFF',
      retryable: true,
      message: `${progressText(state.received, limit)} (${isStalled() ? `no data for ${options.stallTimeoutMs} ms` : describeCause(error)})`,
      cause: error,
    });
  }
  if (limit !== undefined && state.received < limit) {
    throw new AttemptFailure({
      code: 'CUT_OFF',
      retryable: true,
      message: `${progressText(state.received, limit)} (the connection closed early)`,
    });
  }
}

function progressText(received: number, limit: number | undefined): string {
  return limit === undefined
    ? `stopped after ${formatCount(received)} bytes`
    : `stopped after ${formatCount(received)} of ${formatCount(limit)} bytes`;
}

async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await file.write(
      bytes,
      offset,
      bytes.length - offset,
      position + offset,
    );
    offset += bytesWritten;
  }
}

async function restart(options: TransferOptions): Promise<void> {
  await options.file.truncate(0);
  Object.assign(options.state, freshState(options.state.algorithm));
}

function parseContentRange(
  header: string | null,
): { start: number; total: number | undefined } | undefined {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
