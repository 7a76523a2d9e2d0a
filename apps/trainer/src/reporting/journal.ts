import {
  appendFileSync,
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { MetricPoint, RouterInputs } from '@trainbook/api/client';

export type CreateRunInput = RouterInputs['run']['create'] & { id: string };
export type FinishRunInput = RouterInputs['run']['finish'];
export type UpdateRunInput = RouterInputs['run']['update'];
export type RegisterArtifactInput = RouterInputs['artifact']['register'];

export type { MetricPoint };

/** What a run tells the tracker, in the order it happened. */
export type JournalOp =
  | { op: 'create'; input: CreateRunInput }
  | { op: 'points'; points: MetricPoint[] }
  | { op: 'artifact'; input: RegisterArtifactInput }
  | { op: 'update'; input: UpdateRunInput }
  | { op: 'finish'; input: FinishRunInput };

export type JournalEntry = JournalOp & { seq: number };

/**
 * The spool of one run: `<spool>/<runId>.jsonl`, append-only JSON lines, one op a line with its
 * sequence number, written before anything is sent; `<runId>.sent` gets a line with each op's
 * seq once the tracker has it; `<runId>.owner` holds the pid of the trainer still writing it.
 * Points are `[key, step, epoch, value, wallTime]` with non-finite values as "NaN",
 * "Infinity", "-Infinity" (JSON has no such numbers). When every op is sent and the run has
 * its final status, the files are removed.
 */
export class Journal {
  readonly path: string;
  readonly sentPath: string;
  readonly ownerPath: string;
  private fd: number | null = null;
  private nextSeq = 0;

  constructor(
    readonly spoolDir: string,
    readonly runId: string,
  ) {
    this.path = join(spoolDir, `${runId}.jsonl`);
    this.sentPath = join(spoolDir, `${runId}.sent`);
    this.ownerPath = join(spoolDir, `${runId}.owner`);
  }

  /** Opens a new journal for writing (this process owns it until `close`). */
  static create(spoolDir: string, runId: string): Journal {
    mkdirSync(spoolDir, { recursive: true });
    const journal = new Journal(spoolDir, runId);
    journal.fd = openSync(journal.path, 'a');
    appendFileSync(journal.ownerPath, `${process.pid}\n`);
    return journal;
  }

  /** Appends an op (written through to the OS at once, so a killed process loses nothing). */
  append(op: JournalOp): JournalEntry {
    if (this.fd === null) throw new Error(`journal ${this.path} is not open for writing`);
    const entry = { ...op, seq: this.nextSeq++ } as JournalEntry;
    writeSync(this.fd, `${encodeEntry(entry)}\n`);
    return entry;
  }

  /** Forces appended ops onto the disk (epoch ends, the end of a run). */
  sync(): void {
    if (this.fd !== null) fdatasyncSync(this.fd);
  }

  markSent(seq: number): void {
    appendFileSync(this.sentPath, `${seq}\n`);
  }

  /** Highest seq the tracker acknowledged, or −1. */
  sentUpTo(): number {
    if (!existsSync(this.sentPath)) return -1;
    const lines = readFileSync(this.sentPath, 'utf8').trim().split('\n').filter(Boolean);
    return lines.reduce((max, line) => Math.max(max, Number(line)), -1);
  }

  /** Every op, in order. A last line cut short by a crash mid-write is skipped. */
  read(): JournalEntry[] {
    const lines = readFileSync(this.path, 'utf8').split('\n');
    const entries: JournalEntry[] = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        entries.push(decodeEntry(line));
      } catch (error) {
        if (i < lines.length - 2) {
          throw new Error(
            `${this.path}, line ${i + 1}: not a journal entry (${(error as Error).message})`,
          );
        }
      }
    });
    return entries;
  }

  /** The pid that owns the journal when that process is still alive, else null. */
  liveOwner(): number | null {
    if (!existsSync(this.ownerPath)) return null;
    const pid = Number(readFileSync(this.ownerPath, 'utf8').trim().split('\n').at(-1));
    if (!Number.isInteger(pid) || pid === process.pid) return null;
    try {
      process.kill(pid, 0);
      return pid;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
    }
  }

  /** Stops writing (the files stay until `remove`). */
  close(): void {
    if (this.fd !== null) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
    }
    rmSync(this.ownerPath, { force: true });
  }

  /** Deletes the journal: everything in it is on the tracker. */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
    rmSync(this.sentPath, { force: true });
  }
}

/** Run ids of the journals in a spool folder. */
export function listJournals(spoolDir: string): string[] {
  if (!existsSync(spoolDir)) return [];
  return readdirSync(spoolDir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => name.slice(0, -'.jsonl'.length))
    .sort();
}

const encodeValue = (v: number) => (Number.isFinite(v) ? v : String(v));
const decodeValue = (v: unknown) => (typeof v === 'number' ? v : Number(v));

export function encodeEntry(entry: JournalEntry): string {
  if (entry.op === 'points') {
    return JSON.stringify({
      seq: entry.seq,
      op: 'points',
      points: entry.points.map((p) => [
        p.key,
        p.step,
        p.epoch ?? null,
        encodeValue(p.value),
        p.wallTime,
      ]),
    });
  }
  return JSON.stringify(entry);
}

export function decodeEntry(line: string): JournalEntry {
  const raw = JSON.parse(line) as {
    seq: number;
    op: string;
    points?: unknown[][];
    input?: Record<string, unknown>;
  };
  if (typeof raw.seq !== 'number') throw new Error('no seq');
  switch (raw.op) {
    case 'points':
      return {
        seq: raw.seq,
        op: 'points',
        points: (raw.points ?? []).map(([key, step, epoch, value, wallTime]) => ({
          key: String(key),
          step: Number(step),
          epoch: epoch === null ? null : Number(epoch),
          value: decodeValue(value),
          wallTime: Number(wallTime),
        })),
      };
    case 'create': {
      const input = raw.input as CreateRunInput & { startedAt?: string | Date };
      if (typeof input.startedAt === 'string') input.startedAt = new Date(input.startedAt);
      return { seq: raw.seq, op: 'create', input };
    }
    case 'artifact':
    case 'update':
    case 'finish':
      return { seq: raw.seq, op: raw.op, input: raw.input } as JournalEntry;
    default:
      throw new Error(`unknown op ${JSON.stringify(raw.op)}`);
  }
}
