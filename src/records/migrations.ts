/**
 * Versioned schema migrations, in code so the binary and its schema cannot drift. Each runs once, in order,
 * inside one transaction holding an advisory lock, so several gateways starting against one Postgres server
 * never apply the same step twice. Never edit a released step: add the next one.
 */
import type { SqlDatabase } from './sql-database.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'request records',
    statements: [
      `create table request_records (
        id bigint generated always as identity primary key,
        request_id text not null,
        started_at timestamptz not null,
        method text not null,
        path text not null,
        surface text,
        caller text,
        requested_class text,
        class text,
        deployment text,
        provider text,
        model text,
        stream boolean,
        status integer,
        error text,
        stream_error text,
        attempt_count integer not null,
        failover_reasons text[] not null default '{}',
        attempts jsonb not null,
        latency_ms double precision,
        ttft_ms double precision,
        overhead_ms double precision,
        upstream_ms double precision,
        backoff_ms double precision,
        tokens_in integer,
        tokens_out integer,
        tokens_cached integer,
        tokens_reasoning integer,
        cost_usd double precision,
        cache_hit boolean,
        injected_fault text,
        notes jsonb
      )`,
      'create index request_records_started_at on request_records (started_at)',
      'create index request_records_class_started_at on request_records (class, started_at)',
      'create index request_records_provider_started_at on request_records (provider, started_at)',
    ],
  },
  {
    version: 2,
    name: 'spool positions',
    statements: [
      // How far each gateway's spool (record-spool.ts) is stored, moved in the same transaction as the rows it
      // covers: a crash between the two cannot store a record twice or skip one.
      `create table record_spool_positions (
        spool_id text primary key,
        segment bigint not null,
        byte_offset bigint not null,
        updated_at timestamptz not null default now()
      )`,
    ],
  },
];

/** Any constant both pglite and every gateway agree on; it only has to differ from other apps' locks. */
const MIGRATION_LOCK = 4_242_017;

/** Applies every migration the database has not seen; returns the versions it applied. */
export async function migrate(database: SqlDatabase, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  return database.transaction(async (executor) => {
    await executor.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await executor.query(
      'create table if not exists switchyard_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())',
    );
    const rows = await executor.query<{ version: number }>('select version from switchyard_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const ran: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await executor.query(statement);
      await executor.query('insert into switchyard_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      ran.push(migration.version);
    }
    return ran;
  });
}
