import type { DownloadError } from './errors.js';

/**
 * What a download reports while it runs. Progress events are throttled (about ten a second)
 * so a handler may draw on every one of them.
 */
export type DownloadEvent =
  | { type: 'cache-hit'; url: string; path: string; bytes: number }
  | { type: 'cache-invalid'; url: string; path: string; reason: string }
  | {
      type: 'start';
      url: string;
      path: string;
      attempt: number;
      /** Bytes already on disk that this attempt continues from (0 for a fresh start). */
      resumeFrom: number;
      totalBytes: number | undefined;
    }
  | { type: 'progress'; url: string; receivedBytes: number; totalBytes: number | undefined }
  | {
      type: 'retry';
      url: string;
      attempt: number;
      maxAttempts: number;
      delayMs: number;
      reason: string;
      receivedBytes: number;
    }
  | { type: 'verifying'; url: string; path: string; bytes: number }
  | { type: 'done'; url: string; path: string; bytes: number; seconds: number }
  | { type: 'failed'; url: string; error: DownloadError };

export type DownloadEventHandler = (event: DownloadEvent) => void;
