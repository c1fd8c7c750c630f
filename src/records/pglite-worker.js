// @ts-check
/**
 * The embedded database's own thread. pglite is Postgres compiled to WebAssembly: every statement runs on the
 * thread that calls it, and with a data directory its file writes are synchronous. On the gateway's event loop
 * that cost 25-55 µs of CPU per stored record and stalled every request during a batch, so it runs here and the
 * gateway talks to it by message (pglite-protocol.ts).
 *
 * Plain JavaScript checked by tsc (`@ts-check`): a worker is started from a file, and this file must run as it
 * is both from the built package and under the test runner, which only transforms modules it imports itself.
 */
import { readlinkSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { isMainThread, parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/**
 * Postgres's own default of 128 MB of shared buffers is sized for a server; the record store appends rows and
 * reads recent ones, and the operating system caches the data files anyway. 16 MB cut the resident memory of an
 * open database from about 300 MB to about 180 MB.
 */
const SETTINGS = { postgresqlconf: ['shared_buffers=16MB'] };

// Run as a program (`node pglite-worker.js <dataDir>`) it only creates the data directory and exits: initdb
// leaves some 500 MB of WebAssembly memory behind that a thread cannot give back, but an exiting process does.
if (isMainThread) {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: node pglite-worker.js <dataDir>');
  await mkdir(dataDir, { recursive: true });
  const created = await PGlite.create(dataDir, SETTINGS);
  await created.close();
  process.exit(0);
}

/** @typedef {import('./pglite-protocol.js').WorkerRequest} WorkerRequest */
/** @typedef {import('./pglite-protocol.js').WorkerReply} WorkerReply */
/** @typedef {{ query: PGlite['query'] }} Queryable */

const port = parentPort;
if (!port) throw new Error('pglite-worker.js runs as a worker thread or as a program');

/**
 * The lowest CPU priority there is. Storing a record costs this thread 15-25 µs of WebAssembly CPU, a third of
 * what serving the request cost; where the gateway shares its core with this thread, at equal priority records
 * took that share of its throughput. Below it, requests come first and records wait in the spool on disk
 * (record-spool.ts) until the core has time to spare. With a core to itself the thread runs as before.
 */
const DATABASE_THREAD_NICE = 19;

// Linux only: there a thread has a nice value of its own (and a name, which `top -H` and `ps -L` show);
// elsewhere `setPriority` of this id would renice the whole gateway, so the thread is left as it is.
if (process.platform === 'linux') {
  try {
    writeFileSync('/proc/thread-self/comm', 'switchyard-db');
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, DATABASE_THREAD_NICE);
  } catch {
    // /proc not mounted, or renicing refused: the thread keeps its default name and priority.
  }
}

/** @type {PGlite | undefined} */
let database;
/**
 * Open transactions by id: the executor their statements run on, how to end them, and the promise that settles
 * once pglite has committed or rolled back.
 * @typedef {{ executor?: Queryable, end?: (commit: boolean) => void, ended?: Promise<unknown> }} OpenTransaction
 * @type {Map<number, OpenTransaction>}
 */
const transactions = new Map();
// Thrown inside pglite's transaction callback to make it roll back; never reported as a failure.
const ROLLBACK = Symbol('rollback');

/** @param {WorkerReply} reply */
function reply(reply) {
  port?.postMessage(reply);
}

/** @param {unknown} error */
function describe(error) {
  const fields = /** @type {{ message?: unknown, code?: unknown, detail?: unknown }} */ (error ?? {});
  return {
    message: typeof fields.message === 'string' ? fields.message : String(error),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.detail === 'string' ? { detail: fields.detail } : {}),
  };
}

function opened() {
  if (!database) throw new Error('the embedded database is not open');
  return database;
}

/**
 * Opens a transaction that stays open across messages. The reply to `begin` goes out from inside it, once it
 * holds pglite's lock; a failure before that (BEGIN itself failing) is the reply instead.
 * @param {PGlite} target
 * @param {number} id
 * @param {number} transaction
 */
function begin(target, id, transaction) {
  /** @type {OpenTransaction} */
  const open = {};
  open.ended = target.transaction(
    (executor) =>
      new Promise((resolve, reject) => {
        open.executor = executor;
        open.end = (commit) => (commit ? resolve(undefined) : reject(ROLLBACK));
        transactions.set(transaction, open);
        reply({ id, ok: true });
      }),
  );
  open.ended.catch((error) => {
    if (!open.executor) reply({ id, ok: false, error: describe(error) });
  });
}

/** @param {WorkerRequest} request */
async function handle(request) {
  switch (request.type) {
    case 'open': {
      if (request.dataDir) await mkdir(request.dataDir, { recursive: true });
      database = await PGlite.create(request.dataDir, SETTINGS);
      return reply({ id: request.id, ok: true });
    }
    case 'query': {
      const target = request.transaction === undefined ? opened() : transactions.get(request.transaction)?.executor;
      if (!target) throw new Error(`transaction ${request.transaction} is not open`);
      const result = await target.query(request.text, request.params);
      return reply({ id: request.id, ok: true, rows: result.rows });
    }
    case 'copy': {
      const target = request.transaction === undefined ? opened() : transactions.get(request.transaction)?.executor;
      if (!target) throw new Error(`transaction ${request.transaction} is not open`);
      const result = await target.query(request.statement, [], { blob: new Blob([request.text]) });
      return reply({ id: request.id, ok: true, count: result.affectedRows ?? 0 });
    }
    case 'begin':
      return begin(opened(), request.id, request.transaction);
    case 'end': {
      const open = transactions.get(request.transaction);
      if (!open?.end) throw new Error(`transaction ${request.transaction} is not open`);
      transactions.delete(request.transaction);
      open.end(request.commit);
      try {
        await open.ended;
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      }
      return reply({ id: request.id, ok: true });
    }
    case 'close':
      await database?.close();
      database = undefined;
      return reply({ id: request.id, ok: true });
  }
}

port.on('message', (/** @type {WorkerRequest} */ request) => {
  handle(request).catch((error) => reply({ id: request.id, ok: false, error: describe(error) }));
});
