import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { repoRoot } from './reporting/ensure-tracker.js';

/** The commit the code was at, and whether files differed from it; null outside a git checkout. */
export function gitState(cwd = repoRoot): { commit: string | null; dirty: boolean | null } {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    const commit = git('rev-parse', 'HEAD');
    return { commit, dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

function packageVersion(path: string): string | null {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** Versions that decide what a run computes. */
export function versions(): Record<string, string | null> {
  return {
    trainer: packageVersion(join(repoRoot, 'apps', 'trainer', 'package.json')),
    model: packageVersion(join(repoRoot, 'packages', 'model', 'package.json')),
    tfjs: tf.version.tfjs,
    node: process.versions.node,
  };
}

export const host = () => hostname();
