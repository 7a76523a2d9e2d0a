export { type DownloadResult, download } from './download.js';
export { defaultCacheDir } from './env.js';
export { DownloadError, type DownloadErrorCode } from './errors.js';
export type { DownloadEvent, DownloadEventHandler } from './events.js';
export { formatBytes } from './format-bytes.js';
export { type ChecksumAlgorithm, hashFile } from './hash-file.js';
export type { Checksum, DownloadOptions } from './options.js';
export { createProgressBar, type ProgressBarOptions } from './progress-bar.js';
