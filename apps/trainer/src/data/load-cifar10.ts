import { basename, join } from 'node:path';
import {
  type Checksum,
  type DownloadEventHandler,
  defaultCacheDir,
  download,
} from '@trainbook/download';
import { z } from 'zod';
import { officialArchive } from './cifar10-format.js';
import type { Cifar10Split } from './cifar10-split.js';
import { locateCifar10 } from './locate-cifar10.js';
import { readArchive } from './read-archive.js';
import { readFolder } from './read-folder.js';

export interface Cifar10 {
  /** Class names in label order, from batches.meta.txt. */
  classNames: string[];
  /** The 50,000 training images (fewer in smaller archives, e.g. 10,000 in the shared one). */
  train: Cifar10Split;
  /** The 10,000 test images (2,000 in the shared archive). */
  test: Cifar10Split;
  source:
    | { kind: 'archive'; path: string; sha256: string; url?: string; downloaded?: boolean }
    | { kind: 'folder'; path: string };
}

const optionsSchema = z
  .object({
    /**
     * A local .tar.gz, an extracted cifar-10-batches-bin folder (or the folder holding one), or
     * an http(s) URL. Without it the official archive is downloaded into `cacheDir`.
     */
    data: z.string().min(1).optional(),
    /** Where downloaded archives are kept. Default: <defaultCacheDir()>/datasets. */
    cacheDir: z.string().min(1).optional(),
    /**
     * For a URL: the archive's checksum and size. Default: those of the official archive, so a
     * mirror of it needs nothing more.
     */
    checksum: z.object({ algorithm: z.enum(['md5', 'sha256']), hex: z.string() }).optional(),
    expectedBytes: z.number().int().positive().optional(),
    retries: z.number().int().min(0).optional(),
    retryDelayMs: z.number().int().min(0).optional(),
    onDownloadProgress: z.custom<DownloadEventHandler>((v) => typeof v === 'function').optional(),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .strict();

export type LoadCifar10Options = z.input<typeof optionsSchema>;

/** Loads CIFAR-10 into memory as uint8 HWC pixels and labels (≈184 MB for all 60,000 images). */
export async function loadCifar10(options: LoadCifar10Options = {}): Promise<Cifar10> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`)
      .join('; ');
    throw new TypeError(`Invalid CIFAR-10 options: ${issues}`);
  }
  const o = parsed.data;
  const location = o.data
    ? await locateCifar10(o.data)
    : { kind: 'url' as const, url: officialArchive.url };

  if (location.kind === 'folder') {
    return { ...(await readFolder(location.path)), source: location };
  }
  if (location.kind === 'archive') {
    const { sha256, ...data } = await readArchive(location.path);
    return { ...data, source: { kind: 'archive', path: location.path, sha256 } };
  }

  const isCustom = o.checksum !== undefined;
  const fileName = basename(new URL(location.url).pathname) || officialArchive.fileName;
  const fetched = await download({
    url: location.url,
    cacheDir: o.cacheDir ?? join(defaultCacheDir(), 'datasets'),
    fileName,
    checksum: (o.checksum as Checksum | undefined) ?? {
      algorithm: 'md5',
      hex: officialArchive.md5,
    },
    expectedBytes: isCustom ? o.expectedBytes : (o.expectedBytes ?? officialArchive.bytes),
    retries: o.retries,
    retryDelayMs: o.retryDelayMs,
    onProgress: o.onDownloadProgress,
    signal: o.signal,
    hint: 'Or point the trainer at a local copy (a .tar.gz or an extracted cifar-10-batches-bin folder) with --data.',
  });
  const { sha256, ...data } = await readArchive(fetched.path);
  return {
    ...data,
    source: {
      kind: 'archive',
      path: fetched.path,
      sha256,
      url: location.url,
      downloaded: !fetched.cached,
    },
  };
}
