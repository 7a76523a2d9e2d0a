import { timingSafeEqual } from 'node:crypto';
import type { Store } from '@trainbook/db';
import type { LiveEvents } from './events.js';
import type { SweepQueue } from './queue/sweep-queue.js';

export interface ContextInner {
  store: Store;
  events: LiveEvents;
  /** The sweep queue (pg-boss); sweep and trial procedures refuse without it. */
  queue?: SweepQueue | undefined;
  /** When set, mutations need `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** The request's Authorization header, if any. */
  authorization?: string | undefined;
}

export type Context = ContextInner & { authorized: boolean };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The context without HTTP: what `createCaller` tests and the HTTP adapter share. */
export function createContextInner(inner: ContextInner): Context {
  const bearer = inner.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  const authorized = !inner.token || (bearer !== undefined && sameSecret(bearer, inner.token));
  return { ...inner, authorized };
}
