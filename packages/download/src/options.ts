import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import type { DownloadEventHandler } from './events.js';

const hexLength = { md5: 32, sha256: 64 } as const;

const checksumSchema = z
  .object({
    algorithm: z.enum(['md5', 'sha256']),
    hex: z.string().regex(/^[0-9a-fA-F]+$/, 'expected a hexadecimal digest'),
  })
  .refine((c) => c.hex.length === hexLength[c.algorithm], {
    message: 'an md5 digest has 32 hex digits, a sha256 digest 64',
    path: ['hex'],
  })
  .transform((c) => ({ algorithm: c.algorithm, hex: c.hex.toLowerCase() }));

export type Checksum = z.input<typeof checksumSchema>;

const fileName = z
  .string()
  .min(1)
  .refine((name) => basename(name) === name && name !== '.' && name !== '..', {
    message: 'expected a bare file name without folders',
  });

const common = {
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .describe('where to download from'),
  checksum: checksumSchema,
  expectedBytes: z.number().int().positive().optional(),
  /** Extra attempts after the first one fails for a reason that may pass (cut-off, 5xx, offline). */
  retries: z.number().int().min(0).max(20).default(4),
  /** First wait before retrying; it doubles on each further retry, up to maxRetryDelayMs. */
  retryDelayMs: z.number().int().min(0).default(1000),
  maxRetryDelayMs: z.number().int().min(0).default(30_000),
  /** A transfer that receives nothing for this long counts as cut off. */
  stallTimeoutMs: z.number().int().positive().default(30_000),
  onProgress: z
    .custom<DownloadEventHandler>((v) => typeof v === 'function', 'expected a function')
    .optional(),
  signal: z.instanceof(AbortSignal).optional(),
  /** Appended to every failure message, e.g. "or pass --data /path/to/file". */
  hint: z.string().optional(),
};

const downloadOptionsSchema = z
  .object({
    ...common,
    dest: z.string().min(1).optional(),
    cacheDir: z.string().min(1).optional(),
    fileName: fileName.optional(),
  })
  .strict()
  .check((ctx) => {
    const { dest, cacheDir, fileName } = ctx.value;
    const byFolder = cacheDir !== undefined || fileName !== undefined;
    if (dest !== undefined && byFolder) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: ['dest'],
        message: 'give either dest or cacheDir + fileName, not both',
      });
    } else if (dest === undefined && (cacheDir === undefined || fileName === undefined)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: [cacheDir === undefined ? 'cacheDir' : 'fileName'],
        message: 'give dest, or both cacheDir and fileName',
      });
    }
  });

export type DownloadOptions = z.input<typeof downloadOptionsSchema>;

export type ResolvedDownloadOptions = Omit<
  z.output<typeof downloadOptionsSchema>,
  'dest' | 'cacheDir' | 'fileName'
> & { dest: string };

export function parseDownloadOptions(options: DownloadOptions): ResolvedDownloadOptions {
  const parsed = downloadOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`)
      .join('; ');
    throw new TypeError(
      `Invalid download options: ${issues}. Expected url, checksum { algorithm: 'md5' | 'sha256', hex } and either dest or cacheDir + fileName.`,
    );
  }
  const { dest, cacheDir, fileName, ...rest } = parsed.data;
  return { ...rest, dest: resolve(dest ?? join(cacheDir!, fileName!)) };
}
