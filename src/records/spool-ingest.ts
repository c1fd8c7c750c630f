/**
 * Moves records from the spool (record-spool.ts) into the database, a chunk of whole lines at a time, each in
 * one transaction with the spool position it reaches: after a crash or a failed commit the position is read
 * back from the database, so no record is stored twice or skipped. One chunk is in flight at a time; when it
 * has caught up, the ingest sleeps until the spool writes again.
 *
 * On the event loop this costs a file read and a string per chunk (a megabyte, a couple of thousand records);
 * the COPY itself runs in the database: on its own thread at the lowest priority for the embedded one, in the
 * server's process otherwise.
 */
import { open } from 'node:fs/promises';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { isBefore, listSegments, segmentPath, type RecordSpool, type SpoolPosition } from './record-spool.js';
import type { SpooledChunk } from './record-store.js';

export interface SpoolStore {
  spoolPosition(spoolId: string): Promise<SpoolPosition | undefined>;
  storeSpooled(chunk: SpooledChunk): Promise<{ stored: number; rejected: number }>;
  moveSpoolPosition(spoolId: string, position: SpoolPosition): Promise<void>;
}

export interface SpoolIngestOptions {
  spool: Pick<RecordSpool, 'dir' | 'ready' | 'position' | 'flush' | 'removeSegment'>;
  store: SpoolStore;
  /** Bytes read per transaction (a longer line is read whole). Default 1 MiB. */
  chunkBytes?: number;
  /** Longest sleep between looks at the spool when nothing woke the ingest. Default 1 s. */
  idleMs?: number;
  /** Wait after a failed chunk before trying again. Default 1 s. */
  retryMs?: number;
  onStored?(count: number): void;
  /** Lines the database refused as data (say, a value out of range): left out so they cannot block the rest. */
  onRejected?(count: number): void;
  /** The unfinished last line of a segment a crash or failed write cut short. */
  onTorn?(segment: number, bytes: number): void;
  onError?(error: unknown): void;
  /**
   * Storing waits while the event loop is busier than `utilization` (0-1), for `maxDeferMs` at most: a saturated
   * gateway serves first, and the records wait in the spool until it has time to spare. Under load that lasts
   * longer than `maxDeferMs` they are stored as they come, and cost what they cost. Off when not given.
   */
  deferWhenBusy?: { utilization: number; maxDeferMs: number };
  /** Event-loop utilisation since the last call (tests replace it). */
  loadProbe?: () => number;
}

export interface SpoolIngestStats {
  stored: number;
  rejected: number;
}

const NEWLINE = 0x0a;
// How often a deferred ingest looks at the load again.
const DEFER_CHECK_MS = 250;

/** The event loop's utilisation since the previous call: 1 when it never waited for I/O. */
function eventLoopLoad(): () => number {
  let mark: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const since = performance.eventLoopUtilization(mark);
    mark = performance.eventLoopUtilization();
    return since.utilization;
  };
}

/** Reads from `offset` up to `end`: about `chunkBytes`, cut after the last whole line (more if one line is longer). */
async function readWholeLines(path: string, offset: number, end: number, chunkBytes: number): Promise<Buffer | undefined> {
  const file = await open(path, 'r');
  try {
    let size = Math.min(chunkBytes, end - offset);
    for (;;) {
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await file.read(buffer, 0, size, offset);
      const cut = buffer.lastIndexOf(NEWLINE, bytesRead - 1) + 1;
      if (cut > 0) return buffer.subarray(0, cut);
      if (offset + bytesRead >= end) return undefined;
      size = Math.min(size * 2, end - offset);
    }
  } finally {
    await file.close();
  }
}

export class SpoolIngest {
  private readonly chunkBytes: number;
  private readonly idleMs: number;
  private readonly retryMs: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  // A wake that came while a chunk was in flight: the next sleep is skipped instead of missing the new data.
  private woken = false;
  private waiters: { target: SpoolPosition; resolve: (reached: boolean) => void }[] = [];
  private stored = 0;
  private rejected = 0;
  private busySince: number | undefined;
  private readonly loadProbe: () => number;

  constructor(private readonly options: SpoolIngestOptions) {
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.idleMs = options.idleMs ?? 1_000;
    this.retryMs = options.retryMs ?? 1_000;
    this.loadProbe = options.loadProbe ?? eventLoopLoad();
  }

  get stats(): SpoolIngestStats {
    return { stored: this.stored, rejected: this.rejected };
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Looks at the spool now instead of at the end of the idle sleep. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }

  /**
   * Flushes the spool and waits until everything in it is stored; false if that took longer than `timeoutMs`
   * (what is left stays in the spool for the next run).
   */
  async drain(options: { timeoutMs: number }): Promise<boolean> {
    if ((await this.options.spool.ready.catch(() => undefined)) === undefined) return false;
    const target = await this.options.spool.flush();
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), options.timeoutMs);
      const settle = (reached: boolean) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== settle);
        resolve(reached);
      };
      this.waiters.push({ target, resolve: settle });
      this.wake();
    });
  }

  /**
   * Stops after the chunk in flight, if any, waiting `timeoutMs` at most for it: a database that stopped
   * answering must not hold a shutdown forever (the chunk stays in the spool, and its position decides).
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping = true;
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeoutMs ?? 5_000);
    });
    await Promise.race([this.running, timeout]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const spoolId = await this.options.spool.ready.catch(() => undefined);
    if (spoolId === undefined) return;
    let position: SpoolPosition | undefined;
    while (!this.stopping) {
      try {
        if (this.deferring()) {
          await this.sleep(DEFER_CHECK_MS);
          continue;
        }
        position ??= await this.startingPosition(spoolId);
        const next = await this.step(spoolId, position);
        if (next) {
          position = next;
          this.reached(position);
          continue;
        }
        this.reached(position);
        await this.sleep(this.idleMs);
      } catch (error) {
        this.options.onError?.(error);
        // Whether a failed commit happened is the database's to say: read the position back before going on.
        position = undefined;
        await this.sleep(this.retryMs);
      }
    }
  }

  private async startingPosition(spoolId: string): Promise<SpoolPosition> {
    const writing = this.options.spool.position();
    const stored = await this.options.store.spoolPosition(spoolId);
    // A position past the segment being written means the segments were removed by hand: start over from the oldest.
    if (stored && !isBefore(writing, stored)) return stored;
    const oldest = (await listSegments(this.options.spool.dir))[0]?.segment ?? writing.segment;
    return { segment: Math.min(oldest, writing.segment), offset: 0 };
  }

  /** Stores the next chunk, or moves past a finished segment; undefined when there is nothing to do. */
  private async step(spoolId: string, position: SpoolPosition): Promise<SpoolPosition | undefined> {
    const { spool, store } = this.options;
    const writing = spool.position();
    const path = segmentPath(spool.dir, position.segment);
    const current = position.segment === writing.segment;
    // The segment being written is read only up to what its completed writes put there.
    const end = current ? writing.offset : ((await listSegments(spool.dir)).find((found) => found.segment === position.segment)?.bytes ?? 0);
    if (end > position.offset) {
      const lines = await readWholeLines(path, position.offset, end, this.chunkBytes);
      if (lines) {
        const to = position.offset + lines.length;
        const result = await store.storeSpooled({ spoolId, segment: position.segment, from: position.offset, to, text: lines.toString('utf8') });
        this.count(result);
        return { segment: position.segment, offset: to };
      }
    }
    if (current) return undefined;
    // A finished segment: the writer never returns to it, so a tail without a newline was cut by a crash.
    if (end > position.offset) this.options.onTorn?.(position.segment, end - position.offset);
    const later = (await listSegments(spool.dir)).find((found) => found.segment > position.segment);
    const next = { segment: Math.min(later?.segment ?? writing.segment, writing.segment), offset: 0 };
    await store.moveSpoolPosition(spoolId, next);
    await spool.removeSegment(position.segment, end);
    return next;
  }

  /** True while storing should wait for the gateway to be less busy; never while someone drains. */
  private deferring(): boolean {
    const rule = this.options.deferWhenBusy;
    if (!rule || this.waiters.length > 0) return false;
    const now = performance.now();
    if (this.loadProbe() < rule.utilization) {
      this.busySince = undefined;
      return false;
    }
    this.busySince ??= now;
    return now - this.busySince < rule.maxDeferMs;
  }

  private count(result: { stored: number; rejected: number }): void {
    this.stored += result.stored;
    this.rejected += result.rejected;
    if (result.stored > 0) this.options.onStored?.(result.stored);
    if (result.rejected > 0) this.options.onRejected?.(result.rejected);
  }

  private reached(position: SpoolPosition): void {
    for (const waiter of [...this.waiters]) if (!isBefore(position, waiter.target)) waiter.resolve(true);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping || this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      // Either way the sleep ends, the hook goes with it: a wake after it must set `woken`, not call a dead sleep.
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakeUp = done;
    });
  }
}
