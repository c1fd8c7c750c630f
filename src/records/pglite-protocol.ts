/**
 * Messages between the gateway and the worker thread that hosts the embedded database (pglite-worker.js).
 * Every request carries an id and gets exactly one reply with that id. A transaction is opened with `begin`,
 * its statements name it by `transaction`, and `end` commits or rolls it back: the record store's migrations
 * need real interactive transactions, not a batch of statements.
 */
import type { SqlValue } from './sql-database.js';

export type WorkerRequest =
  | { id: number; type: 'open'; dataDir?: string }
  | { id: number; type: 'query'; text: string; params?: SqlValue[]; transaction?: number }
  | { id: number; type: 'copy'; statement: string; text: string; transaction?: number }
  | { id: number; type: 'begin'; transaction: number }
  | { id: number; type: 'end'; transaction: number; commit: boolean }
  | { id: number; type: 'close' };

/** A database error's fields that survive the thread boundary (an Error's own properties do not clone). */
export interface WorkerError {
  message: string;
  code?: string;
  detail?: string;
}

export type WorkerReply =
  | { id: number; ok: true; rows?: unknown[]; count?: number }
  | { id: number; ok: false; error: WorkerError };
