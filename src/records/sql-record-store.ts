/**
 * The record store over any SqlDatabase: batches stored with COPY, retention deletes, and the admin API's
 * reads. The same SQL runs on pglite and on a Postgres server.
 */
import type { RequestRecord } from '../telemetry/request-record.js';
import { migrate } from './migrations.js';
import { queryStats } from './record-stats-query.js';
import { RECORD_COLUMNS, recordCopyLine, storedRecordFromRow, type RecordRow, type StoredRecord } from './record-row.js';
import type { SpoolPosition } from './record-spool.js';
import type { RecordFilter, RecordStats, RecordStore, SpooledChunk, StatsWindow } from './record-store.js';
import { isDataError, type SqlDatabase, type SqlExecutor, type SqlValue } from './sql-database.js';

function savePosition(executor: SqlExecutor, spoolId: string, position: SpoolPosition): Promise<unknown> {
  return executor.query(
    `insert into record_spool_positions (spool_id, segment, byte_offset) values ($1, $2, $3)
     on conflict (spool_id) do update set segment = excluded.segment, byte_offset = excluded.byte_offset, updated_at = now()`,
    [spoolId, position.segment, position.offset],
  );
}

export class SqlRecordStore implements RecordStore {
  readonly kind: 'pglite' | 'postgres';

  private constructor(private readonly database: SqlDatabase) {
    this.kind = database.kind;
  }

  /** Migrates the schema, then returns the store. */
  static async open(database: SqlDatabase): Promise<SqlRecordStore> {
    await migrate(database);
    return new SqlRecordStore(database);
  }

  async insert(records: readonly RequestRecord[]): Promise<{ rejected: number }> {
    let text = '';
    for (const record of records) text += recordCopyLine(record);
    return { rejected: (await this.storeText(text)).rejected };
  }

  async spoolPosition(spoolId: string): Promise<SpoolPosition | undefined> {
    const rows = await this.database.query<{ segment: string | number; byte_offset: string | number }>(
      'select segment, byte_offset from record_spool_positions where spool_id = $1',
      [spoolId],
    );
    return rows[0] ? { segment: Number(rows[0].segment), offset: Number(rows[0].byte_offset) } : undefined;
  }

  storeSpooled(chunk: SpooledChunk): Promise<{ stored: number; rejected: number }> {
    return this.storeText(chunk.text, chunk);
  }

  async moveSpoolPosition(spoolId: string, position: SpoolPosition): Promise<void> {
    await savePosition(this.database, spoolId, position);
  }

  /**
   * COPY is all or none: when the database refuses a row as data, the rows are stored one at a time to leave
   * that one out (rare, so the slow way is fine). With a spool chunk, every transaction also moves the spool's
   * position past the rows it covers.
   */
  private async storeText(text: string, chunk?: SpooledChunk): Promise<{ stored: number; rejected: number }> {
    if (text.length === 0) return { stored: 0, rejected: 0 };
    const store = (part: string, end: number) =>
      this.database.transaction(async (executor) => {
        const count = await executor.copyIn({ table: 'request_records', columns: RECORD_COLUMNS, text: part });
        if (chunk) await savePosition(executor, chunk.spoolId, { segment: chunk.segment, offset: end });
        return count;
      });
    try {
      return { stored: await store(text, chunk?.to ?? 0), rejected: 0 };
    } catch (error) {
      if (!isDataError(error)) throw error;
    }
    let stored = 0;
    let rejected = 0;
    let offset = chunk?.from ?? 0;
    for (const line of text.split('\n').slice(0, -1)) {
      offset += Buffer.byteLength(line) + 1;
      try {
        stored += await store(`${line}\n`, offset);
      } catch (error) {
        if (!isDataError(error)) throw error;
        rejected++;
        if (chunk) await savePosition(this.database, chunk.spoolId, { segment: chunk.segment, offset });
      }
    }
    return { stored, rejected };
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    const rows = await this.database.query<{ deleted: number }>(
      'with gone as (delete from request_records where started_at < $1 returning 1) select count(*)::int as deleted from gone',
      [new Date(cutoff)],
    );
    return Number(rows[0]?.deleted ?? 0);
  }

  async list(filter: RecordFilter): Promise<StoredRecord[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    const bind = (value: SqlValue) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.className !== undefined) conditions.push(`coalesce(class, requested_class) = ${bind(filter.className)}`);
    if (filter.provider !== undefined) conditions.push(`provider = ${bind(filter.provider)}`);
    if (filter.since !== undefined) conditions.push(`started_at >= ${bind(new Date(filter.since))}`);
    if (filter.status === 'ok') conditions.push('status < 400 and stream_error is null');
    else if (filter.status === 'error') conditions.push('(status >= 400 or stream_error is not null)');
    else if (filter.status) conditions.push(`status = ${bind(filter.status.equals)}`);
    if (filter.failedOver) conditions.push('cardinality(failover_reasons) > 0');
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    const rows = await this.database.query<RecordRow>(
      `select ${RECORD_COLUMNS.join(', ')} from request_records ${where} order by started_at desc, id desc limit ${bind(filter.limit)}`,
      params,
    );
    return rows.map(storedRecordFromRow);
  }

  stats(options: { window: StatsWindow; now: number }): Promise<RecordStats> {
    return queryStats({ database: this.database, ...options });
  }

  async dailyCosts(options: { since: number; until?: number }): Promise<{ day: string; costUsd: number }[]> {
    const params: SqlValue[] = [new Date(options.since)];
    if (options.until !== undefined) params.push(new Date(options.until));
    const rows = await this.database.query<{ day: string; cost: number }>(
      `select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD') as day, coalesce(sum(cost_usd), 0)::float8 as cost
       from request_records where started_at >= $1 ${options.until !== undefined ? 'and started_at < $2' : ''} group by 1 order by 1`,
      params,
    );
    return rows.map((row) => ({ day: row.day, costUsd: Number(row.cost) }));
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
