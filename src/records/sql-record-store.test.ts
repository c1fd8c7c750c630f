/**
 * The record store against both databases it runs on: the embedded one in a temp data directory, and a real
 * Postgres server when TEST_DATABASE_URL (or DATABASE_URL) is set — `.ci/run` starts one on loopback.
 */
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRecord } from '../../test/helpers/sample-record.js';
import type { RequestRecord } from '../telemetry/request-record.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { openPgDatabase } from './pg-database.js';
import { openPgliteDatabase } from './pglite-database.js';
import type { SqlDatabase } from './sql-database.js';
import { SqlRecordStore } from './sql-record-store.js';
import { recordCopyLine } from './record-row.js';
import { RecordSpool, segmentPath } from './record-spool.js';
import { SpoolIngest } from './spool-ingest.js';

const SERVER_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
if (!SERVER_URL) process.stderr.write('records: Postgres server tests skipped: no TEST_DATABASE_URL\n');

const NOW = Date.parse('2025-06-01T12:30:00.000Z');
const MINUTE = 60_000;

interface Backend {
  name: string;
  open(): Promise<SqlDatabase>;
  /** Reopens the same database (persistence check); undefined for a server, which persists by definition. */
  reopen?(): Promise<SqlDatabase>;
  cleanup(): Promise<void>;
}

function pgliteBackend(): Backend {
  let dir = '';
  return {
    name: 'embedded Postgres (pglite) in a temp data directory',
    open: async () => {
      dir = await mkdtemp(join(tmpdir(), 'switchyard-records-'));
      return openPgliteDatabase({ dataDir: join(dir, 'data') });
    },
    reopen: () => openPgliteDatabase({ dataDir: join(dir, 'data') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function serverBackend(url: string): Backend {
  return {
    name: 'Postgres server (TEST_DATABASE_URL)',
    open: async () => {
      const database = await openPgDatabase({ connectionString: url });
      // A reused local database starts clean; CI's is new anyway.
      await database.query('drop table if exists request_records, record_spool_positions, switchyard_migrations');
      return database;
    },
    cleanup: async () => undefined,
  };
}

const backends = [pgliteBackend(), ...(SERVER_URL ? [serverBackend(SERVER_URL)] : [])];

describe.each(backends)('record store on $name', (backend) => {
  let database: SqlDatabase;
  let store: SqlRecordStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await SqlRecordStore.open(database);
  }, 90_000);

  afterAll(async () => {
    await store?.close();
    await backend.cleanup();
  });

  async function reset(records: RequestRecord[]): Promise<void> {
    await database.query('delete from request_records');
    await store.insert(records);
  }

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrate(database)).toStrictEqual([]);
    const rows = await database.query<{ version: number; name: string }>('select version, name from switchyard_migrations order by version');
    expect(rows.map((row) => ({ version: Number(row.version), name: row.name }))).toStrictEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('stores every field of a record and reads it back', async () => {
    await reset([sampleRecord()]);
    const [stored] = await store.list({ limit: 10 });
    expect(stored).toStrictEqual({
      requestId: 'req-1',
      startedAt: '2025-06-01T12:00:00.000Z',
      method: 'POST',
      path: '/v1/chat/completions',
      surface: 'openai',
      caller: null,
      requestedClass: 'workhorse',
      class: 'workhorse',
      deployment: 'workhorse/anthropic/claude-haiku-4-5',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      stream: true,
      status: 200,
      error: null,
      streamError: null,
      attempts: sampleRecord().attempts,
      failoverReasons: ['overloaded'],
      latencyMs: 812.5,
      ttftMs: 640.25,
      overheadMs: 1.5,
      upstreamMs: 711,
      backoffMs: 100,
      tokens: { input: 1200, output: 300, cached: 1000, reasoning: 20 },
      costUsd: 0.00123,
      cacheHit: false,
      injectedFault: 'chaos-1',
      notes: { resumed: true },
    });
  });

  it('stores a record with nothing but the request line', async () => {
    await reset([{ requestId: 'bare', startedAt: NOW, method: 'GET', path: '/nope', attempts: [], status: 404, error: 'not_found' }]);
    const [stored] = await store.list({ limit: 1 });
    expect({ attempts: stored.attempts, failoverReasons: stored.failoverReasons, tokens: stored.tokens, class: stored.class, error: stored.error }).toStrictEqual({
      attempts: [],
      failoverReasons: [],
      tokens: null,
      class: null,
      error: 'not_found',
    });
  });

  it('filters by class, provider, status and time, newest first, up to the limit', async () => {
    await reset([
      sampleRecord({ requestId: 'a', startedAt: NOW - 50 * MINUTE }),
      sampleRecord({ requestId: 'b', startedAt: NOW - 40 * MINUTE, class: undefined, requestedClass: 'coder', provider: undefined, status: 503, error: 'no_healthy_deployment' }),
      sampleRecord({ requestId: 'c', startedAt: NOW - 30 * MINUTE, provider: 'openai' }),
      sampleRecord({ requestId: 'd', startedAt: NOW - 20 * MINUTE, status: 200, streamError: 'overloaded' }),
      sampleRecord({ requestId: 'e', startedAt: NOW - 10 * MINUTE, status: 400, error: 'invalid_request' }),
    ]);
    const ids = async (filter: Parameters<SqlRecordStore['list']>[0]) => (await store.list(filter)).map((record) => record.requestId);
    expect(await ids({ limit: 10 })).toStrictEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await ids({ limit: 2 })).toStrictEqual(['e', 'd']);
    expect(await ids({ limit: 10, className: 'coder' })).toStrictEqual(['b']);
    expect(await ids({ limit: 10, provider: 'openai' })).toStrictEqual(['c']);
    expect(await ids({ limit: 10, status: 'error' })).toStrictEqual(['e', 'd', 'b']);
    expect(await ids({ limit: 10, status: 'ok' })).toStrictEqual(['c', 'a']);
    expect(await ids({ limit: 10, status: { equals: 503 } })).toStrictEqual(['b']);
    expect(await ids({ limit: 10, since: NOW - 30 * MINUTE })).toStrictEqual(['e', 'd', 'c']);
    await store.insert([sampleRecord({ requestId: 'clean', startedAt: NOW, attempts: sampleRecord().attempts.slice(1) })]);
    expect(await ids({ limit: 10, failedOver: true, since: NOW - 20 * MINUTE })).toStrictEqual(['e', 'd']);
  });

  it('deletes records older than the cutoff', async () => {
    await reset([sampleRecord({ requestId: 'old', startedAt: NOW - 31 * 86_400_000 }), sampleRecord({ requestId: 'new', startedAt: NOW })]);
    expect(await store.deleteOlderThan(NOW - 30 * 86_400_000)).toBe(1);
    expect((await store.list({ limit: 10 })).map((record) => record.requestId)).toStrictEqual(['new']);
  });

  it('aggregates stats per class and provider with failover rate, p95, cost and a filled series', async () => {
    const yesterday = Date.parse('2025-05-31T23:00:00.000Z');
    await reset([
      ...Array.from({ length: 20 }, (_, index) =>
        sampleRecord({ requestId: `ok-${index}`, startedAt: NOW - (index + 1) * MINUTE, latencyMs: (index + 1) * 10, attempts: sampleRecord().attempts.slice(1), costUsd: 0.01 }),
      ),
      sampleRecord({ requestId: 'failover', startedAt: NOW - 5 * MINUTE, costUsd: 0.05 }),
      sampleRecord({ requestId: 'down', startedAt: NOW - 2 * MINUTE, class: undefined, provider: undefined, status: 503, costUsd: undefined, usage: undefined, latencyMs: 50 }),
      sampleRecord({ requestId: 'yesterday', startedAt: yesterday, costUsd: 1 }),
      { requestId: 'health', startedAt: NOW - MINUTE, method: 'GET', path: '/health/readiness', attempts: [], status: 200 },
    ]);
    const stats = await store.stats({ window: '1h', now: NOW });
    expect(stats.totals).toStrictEqual({
      requests: 22,
      errors: 1,
      failovers: 2,
      failoverRate: 2 / 22,
      p95LatencyMs: expect.any(Number),
      p95TtftMs: 640.25,
      tokensIn: 21 * 1200,
      tokensOut: 21 * 300,
      costUsd: expect.closeTo(0.25, 10),
    });
    expect(stats.byClassProvider.map(({ class: className, provider, requests, errors, failovers }) => ({ className, provider, requests, errors, failovers }))).toStrictEqual([
      { className: 'workhorse', provider: 'anthropic', requests: 21, errors: 0, failovers: 1 },
      { className: 'workhorse', provider: null, requests: 1, errors: 1, failovers: 1 },
    ]);
    // p95 of 10..200 ms plus the failover's 812.5 ms, interpolated the way Postgres does.
    expect(stats.byClassProvider[0].p95LatencyMs).toBe(200);
    expect(stats.cost.todayUsd).toBeCloseTo(0.25, 10);
    expect(stats.cost.last7DaysUsd).toBeCloseTo(1.25, 10);
    expect(stats.series.bucketSeconds).toBe(60);
    expect(stats.series.points).toHaveLength(61);
    expect(stats.series.points.reduce((sum, point) => sum + point.requests, 0)).toBe(22);
    expect(stats.series.points.find((point) => point.at === '2025-06-01T12:28:00.000Z')).toStrictEqual({ at: '2025-06-01T12:28:00.000Z', requests: 2, errors: 1, failovers: 1 });
    expect(stats.since).toBe('2025-06-01T11:30:00.000Z');

    const week = await store.stats({ window: '7d', now: NOW });
    expect([week.totals.requests, week.series.bucketSeconds]).toStrictEqual([23, 10_800]);
    expect(await store.dailyCosts({ since: Date.parse('2025-05-31T00:00:00.000Z'), until: Date.parse('2025-06-01T00:00:00.000Z') })).toStrictEqual([
      { day: '2025-05-31', costUsd: 1 },
    ]);
    expect(await store.dailyCosts({ since: Date.parse('2025-05-31T00:00:00.000Z') })).toStrictEqual([
      { day: '2025-05-31', costUsd: 1 },
      { day: '2025-06-01', costUsd: expect.closeTo(0.25, 10) },
    ]);
  });

  it('stats: each provider\'s failed share of attempts with reasons, and cost per class today and over 7 days', async () => {
    const attempt = (provider: string, category?: 'overloaded' | 'rate_limit' | 'bad_request') => ({
      deploymentId: `workhorse/${provider}/m`,
      provider,
      model: 'm',
      className: 'workhorse',
      latencyMs: 10,
      ...(category ? { category } : {}),
    });
    await reset([
      sampleRecord({ requestId: 'a', startedAt: NOW - MINUTE, attempts: [attempt('openai', 'overloaded'), attempt('openai', 'rate_limit'), attempt('anthropic')], costUsd: 0.5 }),
      sampleRecord({ requestId: 'b', startedAt: NOW - 2 * MINUTE, attempts: [attempt('openai', 'overloaded'), attempt('anthropic')], costUsd: 0.25 }),
      sampleRecord({ requestId: 'c', startedAt: NOW - 3 * MINUTE, attempts: [attempt('openai')], class: 'coder', requestedClass: 'coder', costUsd: 0.125 }),
      // The client's own fault is not the provider's failure.
      sampleRecord({ requestId: 'd', startedAt: NOW - 4 * MINUTE, attempts: [attempt('openai', 'bad_request')], status: 400, costUsd: undefined }),
      sampleRecord({ requestId: 'last-week', startedAt: NOW - 3 * 86_400_000, attempts: [attempt('openai', 'overloaded')], class: 'coder', requestedClass: 'coder', costUsd: 2 }),
    ]);
    const stats = await store.stats({ window: '1h', now: NOW });
    expect(stats.byProvider).toStrictEqual([
      { provider: 'anthropic', attempts: 2, failedAttempts: 0, failoverRate: 0, reasons: [] },
      {
        provider: 'openai',
        attempts: 4,
        failedAttempts: 3,
        failoverRate: 0.75,
        reasons: [
          { category: 'overloaded', count: 2 },
          { category: 'rate_limit', count: 1 },
        ],
      },
    ]);
    // 12:29 holds request a, 12:28 request b (the 1h window ends at 12:30, its last point).
    const at = (minute: string) => stats.series.points.findIndex((point) => point.at === `2025-06-01T12:${minute}:00.000Z`);
    const openai = stats.series.providers.find((series) => series.provider === 'openai')!;
    expect(stats.series.providers.map((series) => [series.provider, series.attempts.length])).toStrictEqual([
      ['anthropic', stats.series.points.length],
      ['openai', stats.series.points.length],
    ]);
    expect([openai.attempts[at('29')], openai.failedAttempts[at('29')], openai.attempts[at('28')], openai.failedAttempts[at('28')]]).toStrictEqual([2, 2, 1, 1]);
    expect([openai.attempts.reduce((sum, count) => sum + count, 0), openai.failedAttempts.reduce((sum, count) => sum + count, 0)]).toStrictEqual([4, 3]);
    expect(stats.cost).toStrictEqual({
      todayUsd: 0.875,
      last7DaysUsd: 2.875,
      byClass: [
        { class: 'coder', todayUsd: 0.125, last7DaysUsd: 2.125 },
        { class: 'workhorse', todayUsd: 0.75, last7DaysUsd: 0.75 },
      ],
    });
  });

  it('keeps text that COPY must escape exactly as it was: tabs, newlines, backslashes, quotes, braces, unicode', async () => {
    const awkward = 'tab\there\nnew "line"\r\\N \\. {a,b} \\u0000 é 🚦';
    const attempts = sampleRecord().attempts.map((attempt) => ({ ...attempt, message: `${awkward} \u0000 end` }));
    await reset([sampleRecord({ requestId: awkward, path: '/v1/chat/completions?x=\t', error: awkward, attempts, notes: { detail: awkward, nul: 'a\u0000b' } })]);
    const [stored] = await store.list({ limit: 1 });
    // NUL cannot be stored in Postgres text or jsonb: it becomes U+FFFD; everything else is unchanged.
    expect({ requestId: stored.requestId, path: stored.path, error: stored.error, message: stored.attempts[0].message, notes: stored.notes }).toStrictEqual({
      requestId: awkward,
      path: '/v1/chat/completions?x=\t',
      error: awkward,
      message: `${awkward} \ufffd end`,
      notes: { detail: awkward, nul: 'a\ufffdb' },
    });
  });

  it('leaves out only the record the database refuses as data, and stores the rest of its batch', async () => {
    const outOfRange = sampleRecord({ requestId: 'too-many-tokens', usage: { prompt: 2 ** 40, completion: 1, total: 2 ** 40, cached: 0, reasoning: 0 } });
    await database.query('delete from request_records');
    const result = await store.insert([sampleRecord({ requestId: 'before' }), outOfRange, sampleRecord({ requestId: 'after' })]);
    expect(result).toStrictEqual({ rejected: 1 });
    expect((await store.list({ limit: 10 })).map((record) => record.requestId).sort()).toStrictEqual(['after', 'before']);
  });

  it('writes a large batch in one statement, all or nothing', async () => {
    await reset(Array.from({ length: 1_201 }, (_, index) => sampleRecord({ requestId: `bulk-${index}` })));
    const rows = await database.query<{ count: number }>('select count(*)::int as count from request_records');
    expect(Number(rows[0].count)).toBe(1_201);
  });

  describe('fed from a spool', () => {
    let spoolDir = '';
    beforeAll(async () => {
      spoolDir = await mkdtemp(join(tmpdir(), 'switchyard-spool-'));
    });
    afterAll(() => rm(spoolDir, { recursive: true, force: true }));

    async function count(): Promise<[number, number]> {
      const rows = await database.query<{ count: number; distinct: number }>('select count(*)::int as count, count(distinct request_id)::int as distinct from request_records');
      return [Number(rows[0].count), Number(rows[0].distinct)];
    }

    it('stores every record once across many segments and chunks, and deletes the segments it finished', async () => {
      await database.query('delete from request_records');
      const dir = join(spoolDir, 'many');
      const spool = new RecordSpool({ dir, segmentBytes: 16 * 1024, flushIntervalMs: 60_000 });
      const ingest = new SpoolIngest({ spool, store, chunkBytes: 4 * 1024 });
      ingest.start();
      // Ten writes of some 40 KB each while the ingest is already storing: a new segment after every write.
      for (let round = 0; round < 10; round++) {
        for (let index = round * 100; index < (round + 1) * 100; index++) spool.append(recordCopyLine(sampleRecord({ requestId: `spooled-${index}`, startedAt: NOW + index })));
        await spool.flush();
      }
      expect(await ingest.drain({ timeoutMs: 30_000 })).toBe(true);
      expect(await count()).toStrictEqual([1_000, 1_000]);
      expect(ingest.stats).toStrictEqual({ stored: 1_000, rejected: 0 });
      const position = spool.position();
      expect(position.segment).toBeGreaterThanOrEqual(10);
      expect(await store.spoolPosition(await spool.ready)).toStrictEqual(position);
      await ingest.stop();
      await spool.close();
      // Only the segment being written when it closed is left.
      expect((await readdir(dir)).filter((name) => name.endsWith('.copy'))).toStrictEqual([segmentPath('', position.segment)]);
    }, 60_000);

    it('after a crash: a new run stores what the last one spooled exactly once, and leaves out a line the crash cut short', async () => {
      await database.query('delete from request_records');
      const dir = join(spoolDir, 'crash');
      const first = new RecordSpool({ dir, flushIntervalMs: 60_000 });
      const firstIngest = new SpoolIngest({ spool: first, store });
      firstIngest.start();
      for (let index = 0; index < 10; index++) first.append(recordCopyLine(sampleRecord({ requestId: `early-${index}` })));
      expect(await firstIngest.drain({ timeoutMs: 30_000 })).toBe(true);
      await firstIngest.stop();
      // Spooled but not stored when the process died, and a last write the crash cut in the middle of a line.
      for (let index = 0; index < 5; index++) first.append(recordCopyLine(sampleRecord({ requestId: `late-${index}` })));
      await first.flush();
      await first.close();
      const torn: number[] = [];
      await appendFile(segmentPath(dir, first.position().segment), recordCopyLine(sampleRecord({ requestId: 'torn' })).slice(0, 40));

      const second = new RecordSpool({ dir, flushIntervalMs: 60_000 });
      const secondIngest = new SpoolIngest({ spool: second, store, onTorn: (_segment, bytes) => torn.push(bytes) });
      secondIngest.start();
      second.append(recordCopyLine(sampleRecord({ requestId: 'next-run' })));
      expect(await secondIngest.drain({ timeoutMs: 30_000 })).toBe(true);
      await secondIngest.stop();
      await second.close();
      const ids = (await store.list({ limit: 100 })).map((record) => record.requestId).sort();
      expect(ids).toStrictEqual([...Array.from({ length: 10 }, (_, index) => `early-${index}`), ...Array.from({ length: 5 }, (_, index) => `late-${index}`), 'next-run'].sort());
      expect(torn).toStrictEqual([40]);
    }, 60_000);

    it('leaves out a line the database refuses and still moves past it', async () => {
      await database.query('delete from request_records');
      const dir = join(spoolDir, 'refused');
      const spool = new RecordSpool({ dir, flushIntervalMs: 60_000 });
      const ingest = new SpoolIngest({ spool, store });
      ingest.start();
      const outOfRange = sampleRecord({ requestId: 'too-many-tokens', usage: { prompt: 2 ** 40, completion: 1, total: 2 ** 40, cached: 0, reasoning: 0 } });
      for (const record of [sampleRecord({ requestId: 'before' }), outOfRange, sampleRecord({ requestId: 'after' })]) spool.append(recordCopyLine(record));
      expect(await ingest.drain({ timeoutMs: 30_000 })).toBe(true);
      expect(ingest.stats).toStrictEqual({ stored: 2, rejected: 1 });
      expect(await store.spoolPosition(await spool.ready)).toStrictEqual(spool.position());
      await ingest.stop();
      await spool.close();
    }, 60_000);
  });

  it.runIf(backend.reopen !== undefined)('keeps the records in the data directory across a restart', async () => {
    await reset([sampleRecord({ requestId: 'persisted' })]);
    await store.close();
    database = await backend.reopen!();
    store = await SqlRecordStore.open(database);
    expect((await store.list({ limit: 5 })).map((record) => record.requestId)).toStrictEqual(['persisted']);
  });
});

if (!SERVER_URL) {
  describe('record store on a Postgres server', () => {
    it.skip('skipped: no TEST_DATABASE_URL', () => undefined);
  });
}
