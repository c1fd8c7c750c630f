/**
 * The whole record path on the embedded database: gateway -> observers -> batch writer -> pglite in a temp
 * data directory, drained on close with nothing lost, then read back through the admin API by a second run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../../test/helpers/start-gateway.js';
import { loadConfigText } from '../config/load-config.js';
import type { StoredRecord } from '../records/record-row.js';
import type { RecordStats } from '../records/record-store.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { createLogger } from './logger.js';
import { startTelemetry } from './start-telemetry.js';

let simulator: Simulator;
let dir: string;
let yaml: string;

beforeAll(async () => {
  simulator = await startSimulator({ format: 'openai', name: 'primary' });
  dir = await mkdtemp(join(tmpdir(), 'switchyard-telemetry-'));
  yaml = `
model_list:
  - model_name: workhorse
    litellm_params: { model: openai/gpt-primary, api_base: ${simulator.baseUrl}, api_key: sk-primary }
general_settings: { database_dir: ${join(dir, 'data')} }
`;
});

afterAll(async () => {
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

function configOf(text: string) {
  const loaded = loadConfigText(text, { source: 'test', env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.config;
}

describe('telemetry on the embedded database', () => {
  it('drains queued records on close, skips its own traffic, traces each request, and serves them to the admin API', async () => {
    const config = configOf(yaml);
    const logs: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => void logs.push(line) } });
    const exporter = new InMemorySpanExporter();
    // A flush interval far longer than the test: every record is still in memory when close() is called.
    const first = startTelemetry({ config, env: {}, logger, traceExporter: exporter, spool: { flushIntervalMs: 600_000 } });
    expect(await first.ready).toBe(true);
    const gateway = await startTestGateway(yaml, { observers: first.observers, records: first.records });
    first.exposeMetrics(gateway.gateway.metrics);
    for (let index = 0; index < 5; index++) await gateway.client.chat.completions.create({ model: 'workhorse', messages: [{ role: 'user', content: `hi ${index}` }] });
    await fetch(`${gateway.url}/health/readiness`);
    const queued = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(queued).toContain('switchyard_record_queue_length 5');
    expect((await (await fetch(`${gateway.url}/admin/records`)).json()) as unknown).toStrictEqual({ records: [], limit: 100 });
    // Spans are made on the event-loop turn after each request (checked before close: shutting down clears the in-memory exporter).
    expect(exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER).map((span) => span.name)).toStrictEqual(Array(5).fill('chat workhorse'));

    await gateway.close();
    await first.close();
    expect(logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === 'records_drained')).toMatchObject({ stored: 5, spooled: 0, lost: 0 });

    // A second run on the same directory reads them back through the admin API.
    const second = startTelemetry({ config, env: {}, logger, spool: { flushIntervalMs: 20 } });
    expect(await second.ready).toBe(true);
    const again = await startTestGateway(yaml, { observers: second.observers, records: second.records });
    try {
      const { records } = (await (await fetch(`${again.url}/admin/records?class=workhorse&status=ok`)).json()) as { records: StoredRecord[] };
      expect(records.map((record) => [record.path, record.deployment, record.status, record.attempts.length])).toStrictEqual(
        Array(5).fill(['/v1/chat/completions', 'workhorse/openai/gpt-primary', 200, 1]),
      );
      const stats = (await (await fetch(`${again.url}/admin/stats?window=1h`)).json()) as RecordStats;
      expect([stats.totals.requests, stats.totals.failovers, stats.byClassProvider.map((row) => [row.class, row.provider, row.requests])]).toStrictEqual([
        5,
        0,
        [['workhorse', 'openai', 5]],
      ]);
    } finally {
      await again.close();
      await second.close();
    }
  }, 60_000);

  it('keeps serving when the database cannot open: records wait in the spool, and a later run with a database stores them', async () => {
    const logs: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => void logs.push(line) } });
    const config = configOf(yaml.replace(join(dir, 'data'), join(dir, 'later')));
    const telemetry = startTelemetry({ config, env: {}, logger, database: { kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(await telemetry.ready).toBe(false);
    expect(telemetry.records()).toBeUndefined();
    telemetry.observers[0].onRecord({ requestId: 'while-down', startedAt: Date.now(), method: 'POST', path: '/v1/chat/completions', attempts: [] });
    await telemetry.close();
    const entries = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((entry) => entry.event === 'records_unavailable')).toMatchObject({ database: 'Postgres at postgres://nobody@127.0.0.1:1/none' });
    expect(entries.find((entry) => entry.event === 'records_drained')).toMatchObject({ stored: 0, spooled: 1, lost: 0 });

    const later = startTelemetry({ config, env: {}, logger });
    expect(await later.ready).toBe(true);
    try {
      await expect.poll(async () => (await later.records()?.list({ limit: 10 }))?.map((record) => record.requestId), { timeout: 10_000 }).toStrictEqual(['while-down']);
    } finally {
      await later.close();
    }
  }, 60_000);
});
