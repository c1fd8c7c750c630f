/**
 * The record store over any SqlDatabase: batches stored with COPY, retention deletes, and the admin API's
 * reads. The same SQL runs on pglite and on a Postgres server.
 */
import type { RequestRecord } from '../telemetry/request-record.js';
import { migrate } from './migrations.js';
import { queryStats } from './record-stats-query.js';
import { RECORD_COLUMNS, recordCopyLine, storedRecordFromRow, type RecordRow, type StoredRecord } from './record-row.js';
import type { RecordFilter, RecordStats, RecordStore, StatsWindow } from './record-store.js';
import { isDataError, type SqlDatabase, type SqlValue } from './sql-database.js';

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
    if (records.length === 0) return { rejected: 0 };
    let text = '';
    for (const record of records) text += recordCopyLine(record);
    try {
      await this.database.copyIn({ table: 'request_records', columns: RECORD_COLUMNS, text });
      return { rejected: 0 };
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (records.length === 1) return { rejected: 1 };
    }
    // COPY is all or none: find the bad rows by storing the rest one at a time (rare, so the slow way is fine).
    let rejected = 0;
    for (const record of records) rejected += (await this.insert([record])).rejected;
    return { rejected };
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
