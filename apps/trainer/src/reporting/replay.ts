import { createTrackerClient } from '@trainbook/api/client';
import { Journal, listJournals } from './journal.js';
import { Sender } from './sender.js';

export interface ReplayResult {
  runId: string;
  name: string | null;
  /** What happened: sent, or why not. */
  /**
   * What happened: sent; or not, because it was sent already, another trainer still writes
   * it, the tracker is unreachable (kept, tried again next time), or the tracker refused a
   * report as invalid (moved to the spool's quarantine folder: never retried by itself).
   */
  outcome: 'sent' | 'nothing-new' | 'in-use' | 'unreachable' | 'quarantined';
  entries: number;
  points: number;
  /** The final status the journal carried, if any. */
  status: string | null;
  detail: string;
}

export interface ReplayOptions {
  spoolDir: string;
  trackerUrl: string;
  token?: string | undefined;
  /** How long to keep retrying an unreachable tracker, per journal. */
  timeoutMs: number;
}

/**
 * Sends what journals left by earlier runs still hold (from each one's sent mark on, in
 * order) and removes each journal the tracker then has in full. A journal whose trainer is
 * still running is left to that trainer.
 */
export async function replaySpool(options: ReplayOptions): Promise<ReplayResult[]> {
  const client = createTrackerClient({ url: options.trackerUrl, token: options.token });
  const results: ReplayResult[] = [];
  for (const runId of listJournals(options.spoolDir)) {
    const journal = new Journal(options.spoolDir, runId);
    const entries = journal.read();
    const create = entries.find((e) => e.op === 'create');
    const finish = entries.find((e) => e.op === 'finish');
    const base = {
      runId,
      name: create?.op === 'create' ? (create.input.name ?? null) : null,
      status: finish?.op === 'finish' ? finish.input.status : null,
    };
    const owner = journal.liveOwner();
    if (owner !== null) {
      results.push({
        ...base,
        outcome: 'in-use',
        entries: 0,
        points: 0,
        detail: `still being written by the trainer with pid ${owner}; it sends its own`,
      });
      continue;
    }
    const sentUpTo = journal.sentUpTo();
    const rest = entries.filter((e) => e.seq > sentUpTo);
    if (rest.length === 0) {
      journal.remove();
      results.push({
        ...base,
        outcome: 'nothing-new',
        entries: 0,
        points: 0,
        detail: 'already on the tracker',
      });
      continue;
    }
    // Replays start with the create entry, so a tracker that never saw the run gets it.
    const toSend = create && !rest.includes(create) ? [create, ...rest] : rest;
    const sender = new Sender({ client, journal });
    sender.enqueue(toSend);
    const delivered = await sender.drain(options.timeoutMs);
    await sender.stop();
    const points = sender.sentPoints;
    if (delivered) {
      journal.remove();
      results.push({
        ...base,
        outcome: 'sent',
        entries: rest.length,
        points,
        detail: base.status
          ? `final status ${base.status}`
          : 'no final status in the journal (the trainer stopped without one)',
      });
    } else if (sender.state.kind === 'rejected') {
      // A 4xx: the same report would be refused every time. Move it aside so that it cannot
      // hold up sync for ever, and say where and why.
      const why = sender.state.error;
      const moved = journal.quarantine(why);
      results.push({
        ...base,
        outcome: 'quarantined',
        entries: sender.sentEntries,
        points,
        detail: `the tracker refused a report (${why}); moved to ${moved} (the reason is beside it)`,
      });
    } else {
      const state = sender.state;
      results.push({
        ...base,
        outcome: 'unreachable',
        entries: sender.sentEntries,
        points,
        detail: `${'error' in state ? state.error : 'not delivered'}; kept in ${journal.path}`,
      });
      break; // the tracker is down: the rest would wait too
    }
  }
  return results;
}
