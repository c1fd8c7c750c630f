/**
 * The ingest against a store kept in memory, so its failure paths can be forced: a commit whose reply is lost,
 * a database that never answers, a line longer than a chunk, and a segment a crash cut short.
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordSpool, listSegments, segmentPath, type SpoolPosition } from './record-spool.js';
import type { SpooledChunk } from './record-store.js';
import { SpoolIngest, type SpoolStore } from './spool-ingest.js';

/** Stores lines and positions in memory, like the SQL store does in one transaction. */
class MemoryStore implements SpoolStore {
  readonly lines: string[] = [];
  readonly positions = new Map<string, SpoolPosition>();
  /** Commit the next chunk, then throw as if the reply was lost. */
  loseNextReply = false;
  chunkSizes: number[] = [];

  async spoolPosition(spoolId: string): Promise<SpoolPosition | undefined> {
    return this.positions.get(spoolId);
  }

  async storeSpooled(chunk: SpooledChunk): Promise<{ stored: number; rejected: number }> {
    const lines = chunk.text.split('\n').slice(0, -1);
    this.lines.push(...lines);
    this.chunkSizes.push(chunk.to - chunk.from);
    this.positions.set(chunk.spoolId, { segment: chunk.segment, offset: chunk.to });
    if (this.loseNextReply) {
      this.loseNextReply = false;
      throw new Error('connection lost after commit');
    }
    return { stored: lines.length, rejected: 0 };
  }

  async moveSpoolPosition(spoolId: string, position: SpoolPosition): Promise<void> {
    this.positions.set(spoolId, position);
  }
}

let dir: string;
const running: { spool: RecordSpool; ingest: SpoolIngest }[] = [];

function start(store: SpoolStore, options: { segmentBytes?: number; chunkBytes?: number; onTorn?: (segment: number, bytes: number) => void; onError?: (error: unknown) => void } = {}) {
  const spool = new RecordSpool({ dir, flushIntervalMs: 60_000, segmentBytes: options.segmentBytes });
  const ingest = new SpoolIngest({ spool, store, chunkBytes: options.chunkBytes, retryMs: 10, onTorn: options.onTorn, onError: options.onError ?? (() => undefined) });
  ingest.start();
  running.push({ spool, ingest });
  return { spool, ingest };
}

async function stop(pair: { spool: RecordSpool; ingest: SpoolIngest }): Promise<void> {
  running.splice(running.indexOf(pair), 1);
  await pair.ingest.stop();
  await pair.spool.close();
}

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'switchyard-ingest-')), 'spool');
});

afterEach(async () => {
  for (const pair of running.splice(0)) {
    await pair.ingest.stop();
    await pair.spool.close();
  }
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('spool ingest', () => {
  it('after a commit whose reply was lost, reads the position back and stores nothing twice', async () => {
    const store = new MemoryStore();
    const errors: unknown[] = [];
    const pair = start(store, { onError: (error) => errors.push(error) });
    store.loseNextReply = true;
    for (let index = 0; index < 5; index++) pair.spool.append(`line-${index}\n`);
    expect(await pair.ingest.drain({ timeoutMs: 5_000 })).toBe(true);
    for (let index = 5; index < 8; index++) pair.spool.append(`line-${index}\n`);
    expect(await pair.ingest.drain({ timeoutMs: 5_000 })).toBe(true);
    expect(store.lines).toStrictEqual(Array.from({ length: 8 }, (_, index) => `line-${index}`));
    expect(errors.map(String)).toStrictEqual(['Error: connection lost after commit']);
  });

  it('reads a line longer than a chunk whole, and otherwise stops each chunk at a line end', async () => {
    const store = new MemoryStore();
    const pair = start(store, { chunkBytes: 16 });
    const long = `${'x'.repeat(50)}\n`;
    for (const line of ['short-1\n', long, 'short-2\n', 'short-3\n']) pair.spool.append(line);
    expect(await pair.ingest.drain({ timeoutMs: 5_000 })).toBe(true);
    expect(store.lines).toStrictEqual(['short-1', 'x'.repeat(50), 'short-2', 'short-3']);
    // The long line's read grows until it holds a line end, then keeps the whole lines it holds.
    expect(store.chunkSizes).toStrictEqual([8, 59, 8]);
  });

  it('leaves out the cut last line of a finished segment, moves on and deletes it', async () => {
    const store = new MemoryStore();
    const first = start(store);
    first.spool.append('kept\n');
    expect(await first.ingest.drain({ timeoutMs: 5_000 })).toBe(true);
    await stop(first);
    await appendFile(segmentPath(dir, 1), 'cut sho');
    const torn: [number, number][] = [];
    const second = start(store, { onTorn: (segment, bytes) => torn.push([segment, bytes]) });
    second.spool.append('next\n');
    expect(await second.ingest.drain({ timeoutMs: 5_000 })).toBe(true);
    expect(store.lines).toStrictEqual(['kept', 'next']);
    expect(torn).toStrictEqual([[1, 7]]);
    expect((await listSegments(dir)).map((found) => found.segment)).toStrictEqual([2]);
  });

  it('waits while the event loop is busy, for maxDeferMs at most, and never when someone drains', async () => {
    const store = new MemoryStore();
    let load = 1;
    const spool = new RecordSpool({ dir, flushIntervalMs: 60_000 });
    const ingest = new SpoolIngest({ spool, store, idleMs: 20, deferWhenBusy: { utilization: 0.9, maxDeferMs: 600 }, loadProbe: () => load });
    running.push({ spool, ingest });
    ingest.start();
    spool.append('busy-1\n');
    await spool.flush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.lines).toStrictEqual([]);
    // Busy for longer than maxDeferMs: stored anyway.
    await expect.poll(() => store.lines, { timeout: 3_000, interval: 50 }).toStrictEqual(['busy-1']);
    // Spare time again, then busy anew: waits again.
    load = 0.2;
    spool.append('idle\n');
    await spool.flush();
    await expect.poll(() => store.lines, { timeout: 3_000, interval: 50 }).toStrictEqual(['busy-1', 'idle']);
    load = 1;
    await new Promise((resolve) => setTimeout(resolve, 300));
    spool.append('busy-2\n');
    await spool.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.lines).toStrictEqual(['busy-1', 'idle']);
    // A drain (shutdown) does not wait for the load to fall.
    expect(await ingest.drain({ timeoutMs: 200 })).toBe(true);
    expect(store.lines).toStrictEqual(['busy-1', 'idle', 'busy-2']);
  });

  it('a drain gives up after its timeout while the database does not answer, and the records stay in the spool', async () => {
    const never: SpoolStore = { spoolPosition: () => new Promise(() => undefined), storeSpooled: () => new Promise(() => undefined), moveSpoolPosition: () => new Promise(() => undefined) };
    const spool = new RecordSpool({ dir, flushIntervalMs: 60_000 });
    const ingest = new SpoolIngest({ spool, store: never });
    ingest.start();
    spool.append('waiting\n');
    expect(await ingest.drain({ timeoutMs: 50 })).toBe(false);
    // Stopping does not wait for the answer that never comes.
    await ingest.stop({ timeoutMs: 50 });
    await spool.close();
    expect((await listSegments(dir)).map((found) => found.bytes)).toStrictEqual(['waiting\n'.length]);
  });
});
