export type DownloadErrorCode =
  /** The server answered with a status that is not a success (404, 500, ...). */
  | 'HTTP_STATUS'
  /** No answer at all: connection refused, DNS failure, offline. */
  | 'UNREACHABLE'
  /** The server started sending, then the transfer broke off or stalled. */
  | 'CUT_OFF'
  /** The file arrived whole but is not the expected file. */
  | 'CHECKSUM_MISMATCH'
  /** The server announced or sent a different number of bytes than expected. */
  | 'SIZE_MISMATCH'
  /** Writing the file failed (disk full, permissions). */
  | 'FILE_SYSTEM'
  | 'ABORTED';

/** One error type for every way a download can fail; `code` says which. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  readonly code: DownloadErrorCode;
  readonly url: string;
  readonly path: string;

  constructor(options: {
    code: DownloadErrorCode;
    url: string;
    path: string;
    message: string;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.url = options.url;
    this.path = options.path;
  }
}

/** Why one attempt failed, and whether another attempt may help. Internal to the retry loop. */
export class AttemptFailure extends Error {
  readonly code: DownloadErrorCode;
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (Retry-After), if it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    code: DownloadErrorCode;
    retryable: boolean;
    message: string;
    cause?: unknown;
    retryAfterSeconds?: number;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * Node's fetch reports "fetch failed" or "terminated" and hides the useful part (ECONNREFUSED,
 * "other side closed") in `cause`; pull it out so messages say what actually happened.
 */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth += 1) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      const text =
        typeof code === 'string' && !current.message.includes(code)
          ? `${current.message} (${code})`
          : current.message;
      if (text && !parts.includes(text)) parts.push(text);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  // The innermost cause is the most specific; keep the outer one for context.
  return parts.length > 1 ? `${parts.at(-1)} [${parts[0]}]` : (parts[0] ?? 'unknown error');
}
