/**
 * The embedded database: Postgres compiled to WebAssembly (pglite), persisted in a data directory, so a single
 * gateway keeps its records with nothing else to run. One process at a time may open a directory.
 *
 * pglite runs on a worker thread of its own (pglite-worker.js): its statements are CPU-bound WebAssembly with
 * synchronous file writes, and on the gateway's event loop they delayed every request in flight while a batch
 * was stored. Here only a message crosses per batch.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { WorkerError, WorkerReply, WorkerRequest } from './pglite-protocol.js';
import { copyStatement, type CopyInOptions, type SqlDatabase, type SqlExecutor, type SqlValue } from './sql-database.js';

/** Distributive Omit, so each message kind keeps its own fields. */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;
type Success = Extract<WorkerReply, { ok: true }>;

/** A database error from the worker, with its SQLSTATE where Postgres gave one. */
export class EmbeddedDatabaseError extends Error {
  readonly code?: string;
  readonly detail?: string;

  constructor(error: WorkerError) {
    super(error.message);
    this.name = 'EmbeddedDatabaseError';
    this.code = error.code;
    this.detail = error.detail;
  }
}

const WORKER_FILE = new URL('./pglite-worker.js', import.meta.url);

/**
 * Creates a new data directory in a child process (see pglite-worker.js): initdb's memory goes back to the
 * system when that process exits instead of staying in the gateway for its lifetime.
 */
async function initialiseDataDir(dataDir: string): Promise<void> {
  const exists = await access(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!exists) await promisify(execFile)(process.execPath, [fileURLToPath(WORKER_FILE), dataDir], { timeout: 120_000 });
}

class WorkerChannel {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (reply: Success) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor() {
    this.worker = new Worker(WORKER_FILE);
    // Only calls in flight keep the process alive; an idle database must not hold a finished CLI open.
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the embedded database's worker exited (code ${code})`)));
  }

  call(request: Unsent<WorkerRequest>): Promise<Success> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Success>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply);
    else waiting.reject(new EmbeddedDatabaseError(reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}

/** Opens (creating on first use) the database in `dataDir`; without one, an in-memory database for tests. */
export async function openPgliteDatabase(options: { dataDir?: string }): Promise<SqlDatabase> {
  if (options.dataDir) await initialiseDataDir(options.dataDir);
  const channel = new WorkerChannel();
  try {
    await channel.call({ type: 'open', dataDir: options.dataDir });
  } catch (error) {
    await channel.terminate();
    throw error;
  }
  let nextTransaction = 1;
  const query = async <Row>(text: string, params?: SqlValue[], transaction?: number): Promise<Row[]> =>
    ((await channel.call({ type: 'query', text, params, transaction })).rows ?? []) as Row[];
  const copyIn = async (options: CopyInOptions, transaction?: number): Promise<number> =>
    (await channel.call({ type: 'copy', statement: copyStatement(options, "'/dev/blob'"), text: options.text, transaction })).count ?? 0;

  return {
    kind: 'pglite',
    query: (text, params) => query(text, params),
    async transaction(work) {
      const transaction = nextTransaction++;
      await channel.call({ type: 'begin', transaction });
      const executor: SqlExecutor = { query: (text, params) => query(text, params, transaction), copyIn: (options) => copyIn(options, transaction) };
      let result;
      try {
        result = await work(executor);
      } catch (error) {
        await channel.call({ type: 'end', transaction, commit: false }).catch(() => undefined);
        throw error;
      }
      await channel.call({ type: 'end', transaction, commit: true });
      return result;
    },
    copyIn: (options) => copyIn(options),
    async close() {
      await channel.call({ type: 'close' }).catch(() => undefined);
      await channel.terminate();
    },
  };
}
