/**
 * A Postgres server through `pg`, for `DATABASE_URL`: several gateway instances can share one record store.
 * A small pool is enough because the batch writer runs one insert at a time and admin queries are rare.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyStatement, type CopyInOptions, type SqlDatabase, type SqlExecutor, type SqlValue } from './sql-database.js';

/** One COPY on `client`; the batch is already a single string, and COPY is all-or-none on the server. */
async function copyOn(client: pg.PoolClient, options: CopyInOptions): Promise<number> {
  const copy = client.query(copyFrom(copyStatement(options, 'stdin')));
  await pipeline(Readable.from([options.text]), copy);
  return copy.rowCount;
}

export async function openPgDatabase(options: { connectionString: string; maxConnections?: number }): Promise<SqlDatabase> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4 });
  // An idle client that loses its server emits 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  // Fail at start-up, not on the first batch, when the URL is wrong or the server is down.
  const probe = await pool.connect();
  probe.release();
  return {
    kind: 'postgres',
    query: async <Row>(text: string, params?: SqlValue[]) => (await pool.query(text, params)).rows as Row[],
    transaction: async (work) => {
      const client = await pool.connect();
      const scoped: SqlExecutor = {
        query: async <Row>(text: string, params?: SqlValue[]) => (await client.query(text, params)).rows as Row[],
        copyIn: (options) => copyOn(client, options),
      };
      try {
        await client.query('begin');
        const result = await work(scoped);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    copyIn: async (options) => {
      const client = await pool.connect();
      let failed = false;
      try {
        return await copyOn(client, options);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // A connection a COPY failed on is not trusted again: the pool replaces it.
        client.release(failed);
      }
    },
    close: () => pool.end(),
  };
}
