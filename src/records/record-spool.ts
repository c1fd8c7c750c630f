/**
 * The request records' spool: lines of COPY text appended to segment files on disk, from which the ingest
 * (spool-ingest.ts) stores them in the database. The request path only pushes a string onto an array; the disk
 * sees one asynchronous write per flush. When the database is slower than the traffic (the embedded one runs
 * at the lowest CPU priority, so a saturated core serves requests first) or down, records wait here, on disk,
 * instead of in the gateway's memory; a crash loses at most the last flush interval, and what reached the file
 * is stored on the next start.
 *
 * Layout of the directory: `000000000001.copy`, `000000000002.copy`, ... (segments; names sort by number),
 * `spool-id` (names this spool in the database's position table), `lock` (the pid of the gateway using it).
 * A gateway never appends to a segment an earlier run left: a crash may have cut its last line short.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpoolPosition {
  segment: number;
  /** Bytes into the segment. */
  offset: number;
}

export function isBefore(a: SpoolPosition, b: SpoolPosition): boolean {
  return a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);
}

export interface RecordSpoolOptions {
  dir: string;
  /** The next segment is started once one reaches this size. Default 16 MiB. */
  segmentBytes?: number;
  /** Disk the segments may take; past it new records are dropped and counted. Default 1 GiB. */
  maxBytes?: number;
  /** Longest a record waits in memory before it is written. Default 100 ms. */
  flushIntervalMs?: number;
  /** Written at once when this much waits. Default 256 KiB. */
  flushBytes?: number;
  /** Memory records may take while the spool opens or a write is slow; past it they are dropped. Default 32 MiB. */
  maxPendingBytes?: number;
  /** A write or the opening failed; records it held are counted as dropped. */
  onError?(error: unknown): void;
  /** Called after each write reaches the file (the ingest's wake-up). */
  onWritten?(): void;
}

export interface RecordSpoolStats {
  appended: number;
  dropped: number;
  /** Bytes in memory, not yet written. */
  pendingBytes: number;
  /** Bytes in segment files, stored or not (a segment is deleted once it is stored). */
  diskBytes: number;
}

const SEGMENT_NAME = /^(\d{12})\.copy$/;
// Lines are encoded into buffers of this size; one holds a few hundred records.
const CHUNK_BYTES = 64 * 1024;

export function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(12, '0')}.copy`);
}

/** The segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<{ segment: number; bytes: number }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const segments: { segment: number; bytes: number }[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (!match) continue;
    const segment = Number(match[1]);
    const bytes = await stat(segmentPath(dir, segment)).then(
      (found) => found.size,
      () => undefined,
    );
    if (bytes !== undefined) segments.push({ segment, bytes });
  }
  return segments.sort((a, b) => a.segment - b.segment);
}

// Directories spools in this process hold: the lock file's pid cannot tell two spools of one process apart.
const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One gateway per spool: two appending to one segment would interleave their lines. */
async function takeLock(dir: string): Promise<void> {
  const path = join(dir, 'lock');
  if (heldHere.has(dir)) throw new Error(`the record spool ${dir} is already open in this process`);
  const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
    throw new Error(`the record spool ${dir} is in use by process ${holder}; give each gateway its own data directory`);
  }
  await writeFile(path, `${process.pid}\n`);
  heldHere.add(dir);
}

async function spoolId(dir: string): Promise<string> {
  const path = join(dir, 'spool-id');
  const existing = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (existing) return existing;
  const id = randomUUID();
  await writeFile(path, `${id}\n`);
  return id;
}

interface OpenState {
  id: string;
  handle: FileHandle;
}

export class RecordSpool {
  readonly dir: string;
  /** Resolves with the spool's id once the directory is ready; rejects if it cannot be used. */
  readonly ready: Promise<string>;
  private readonly segmentBytes: number;
  private readonly maxBytes: number;
  private readonly flushBytes: number;
  private readonly maxPendingBytes: number;
  private readonly timer: NodeJS.Timeout;
  private state: OpenState | undefined;
  // Lines waiting for the disk, already UTF-8: full chunks, then the one being filled (see append).
  private full: Buffer[] = [];
  private chunk: Buffer | undefined;
  private chunkUsed = 0;
  private pendingLines = 0;
  private pendingBytes = 0;
  private writing: Promise<void> | undefined;
  private flushScheduled = false;
  private closed = false;
  private failed = false;
  private segment = 0;
  private offset = 0;
  private diskBytes = 0;
  private appended = 0;
  // Appended lines whose write has finished, written or failed: flush() waits for this to reach its call's count.
  private settled = 0;
  private dropped = 0;

  constructor(private readonly options: RecordSpoolOptions) {
    this.dir = options.dir;
    this.segmentBytes = options.segmentBytes ?? 16 * 1024 * 1024;
    this.maxBytes = options.maxBytes ?? 1024 * 1024 * 1024;
    this.flushBytes = options.flushBytes ?? 256 * 1024;
    this.maxPendingBytes = options.maxPendingBytes ?? 32 * 1024 * 1024;
    this.ready = this.open().catch((error: unknown) => {
      this.failed = true;
      this.dropPending();
      options.onError?.(error);
      throw error;
    });
    // The failure is reported through onError; callers that await `ready` see it too.
    this.ready.catch(() => undefined);
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 100);
    this.timer.unref();
  }

  /**
   * Queues one line (ending in a newline); false when it was dropped. Never touches the disk itself.
   *
   * The line is encoded into a buffer at once rather than kept as a string: a line built by concatenation is a
   * tree of some sixty string pieces, and held until the next flush those outlived the young generation. Moved
   * to the old one, they cost the gateway more in garbage collection than building the line did.
   */
  append(line: string): boolean {
    const most = line.length * 3;
    if (this.closed || this.failed || this.diskBytes >= this.maxBytes || this.pendingBytes + most > this.maxPendingBytes) {
      this.dropped++;
      return false;
    }
    if (!this.chunk || this.chunk.length - this.chunkUsed < most) {
      if (this.chunk && this.chunkUsed > 0) this.full.push(this.chunk.subarray(0, this.chunkUsed));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, most));
      this.chunkUsed = 0;
    }
    const bytes = this.chunk.write(line, this.chunkUsed);
    this.chunkUsed += bytes;
    this.pendingBytes += bytes;
    this.pendingLines++;
    this.appended++;
    if (this.pendingBytes >= this.flushBytes && !this.flushScheduled) {
      this.flushScheduled = true;
      // Never start I/O inside append: the caller is on the request path.
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
    return true;
  }

  /** Where the written data ends: everything appended before the last completed flush is before it. */
  position(): SpoolPosition {
    return { segment: this.segment, offset: this.offset };
  }

  get stats(): RecordSpoolStats {
    return { appended: this.appended, dropped: this.dropped, pendingBytes: this.pendingBytes, diskBytes: this.diskBytes };
  }

  /**
   * Writes everything appended so far; resolves with the position after it (never rejects). Lines appended
   * meanwhile wait for the next flush: under steady traffic a loop until nothing is pending would never end,
   * and would turn one write per interval into a stream of tiny ones.
   */
  async flush(): Promise<SpoolPosition> {
    const through = this.appended;
    while (this.settled < through) {
      this.writing ??= this.writeOut().finally(() => {
        this.writing = undefined;
      });
      await this.writing;
    }
    return this.position();
  }

  /** Deletes a segment the ingest has stored to its end. */
  async removeSegment(segment: number, bytes: number): Promise<void> {
    if (segment >= this.segment) throw new Error(`segment ${segment} is still being written`);
    await rm(segmentPath(this.dir, segment), { force: true });
    this.diskBytes = Math.max(0, this.diskBytes - bytes);
  }

  /** Writes what was appended before the call, then closes the segment and releases the lock; later appends are dropped. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.closed = true;
    await this.ready.catch(() => undefined);
    await this.flush();
    if (!this.state) return;
    await this.state.handle.close().catch(() => undefined);
    await rm(join(this.dir, 'lock'), { force: true });
    heldHere.delete(this.dir);
    this.state = undefined;
  }

  private async open(): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    await takeLock(this.dir);
    try {
      const id = await spoolId(this.dir);
      const segments = await listSegments(this.dir);
      this.diskBytes = segments.reduce((sum, found) => sum + found.bytes, 0);
      this.segment = (segments.at(-1)?.segment ?? 0) + 1;
      this.state = { id, handle: await open(segmentPath(this.dir, this.segment), 'a') };
      return id;
    } catch (error) {
      heldHere.delete(this.dir);
      throw error;
    }
  }

  /** Takes every pending line out of memory, as the buffers to write and their count. */
  private takePending(): { buffers: Buffer[]; lines: number } {
    const buffers = this.full;
    if (this.chunk && this.chunkUsed > 0) buffers.push(this.chunk.subarray(0, this.chunkUsed));
    const lines = this.pendingLines;
    this.full = [];
    this.chunk = undefined;
    this.chunkUsed = 0;
    this.pendingLines = 0;
    this.pendingBytes = 0;
    return { buffers, lines };
  }

  private dropPending(): void {
    const { lines } = this.takePending();
    this.dropped += lines;
    this.settled += lines;
  }

  private async writeOut(): Promise<void> {
    await this.ready.catch(() => undefined);
    const state = this.state;
    if (!state) return this.dropPending();
    const { buffers, lines } = this.takePending();
    let written = 0;
    try {
      for (const buffer of buffers) {
        let done = 0;
        while (done < buffer.length) done += (await state.handle.write(buffer, done)).bytesWritten;
        written += done;
      }
    } catch (error) {
      this.settled += lines;
      // How much of the batch reached the file is unknown, and its last line may be cut: count the batch as
      // dropped, and move to a new segment so the cut line ends a segment the ingest knows is finished.
      this.dropped += lines;
      this.options.onError?.(error);
      this.offset += written;
      this.diskBytes += written;
      await this.nextSegment(state).catch((rotateError: unknown) => this.options.onError?.(rotateError));
      return;
    }
    this.settled += lines;
    this.offset += written;
    this.diskBytes += written;
    if (this.offset >= this.segmentBytes) await this.nextSegment(state);
    this.options.onWritten?.();
  }

  private async nextSegment(state: OpenState): Promise<void> {
    await state.handle.close();
    const next = this.segment + 1;
    state.handle = await open(segmentPath(this.dir, next), 'a');
    this.segment = next;
    this.offset = 0;
  }
}
