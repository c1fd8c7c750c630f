/**
 * /metrics after real traffic: the official `openai` client -> gateway -> simulated upstreams, then a scrape,
 * asserting metric names, labels and values series by series.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSeries, seriesOf } from '../../test/helpers/prometheus-text.js';
import { startTestGateway, type TestGateway } from '../../test/helpers/start-gateway.js';
import { loadConfigText } from '../config/load-config.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { newRecord, type RequestRecord } from './request-record.js';

const MASTER_KEY = 'sk-master-metrics-0123456789';
let primary: Simulator;
let backup: Simulator;
let gateway: TestGateway | undefined;

function yaml(general = ''): string {
  return `
model_list:
  - model_name: workhorse
    litellm_params: { model: openai/gpt-primary, api_base: ${primary.baseUrl}, api_key: sk-primary, order: 1 }
  - model_name: workhorse
    litellm_params: { model: openai/gpt-backup, api_base: ${backup.baseUrl}, api_key: sk-backup, order: 2 }
router_settings: { num_retries: 0 }
${general}`;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string | null; series: Map<string, number> }> {
  const response = await fetch(`${url}/metrics`, { headers });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), series: parseSeries(text) };
}

beforeAll(async () => {
  primary = await startSimulator({ format: 'openai', name: 'primary' });
  backup = await startSimulator({ format: 'openai', name: 'backup' });
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  for (const simulator of [primary, backup]) simulator.setFault(null);
});

afterAll(async () => {
  await Promise.all([primary.close(), backup.close()]);
});

describe('GET /metrics after traffic', () => {
  it('counts requests, failovers, attempts, latency, TTFT, overhead, tokens and cost with bounded labels', async () => {
    gateway = await startTestGateway(yaml(), { costOf: (record) => (record.usage ? record.usage.total * 0.001 : undefined) });
    const { client, url } = gateway;
    const ask = () => client.chat.completions.create({ model: 'workhorse', messages: [{ role: 'user', content: 'Hello' }] });

    const clean = await ask();
    const stream = await client.chat.completions.create({ model: 'workhorse', messages: [{ role: 'user', content: 'Hello' }], stream: true });
    for await (const chunk of stream) void chunk;
    primary.setFault({ kind: 'status', status: 503 });
    const failedOver = await ask();
    backup.setFault({ kind: 'status', status: 500 });
    await expect(ask()).rejects.toThrow();
    await expect(client.chat.completions.create({ model: 'no-such-class-from-a-user', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
    await fetch(`${url}/health/readiness`);
    // The real breaker: a rejected key opens the primary's at once; the backup's single 500 leaves it closed.
    gateway.gateway.services.health.onFailure('workhorse/openai/gpt-primary', { category: 'auth', message: 'key revoked' });

    const { status, contentType, series } = await scrape(url);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(seriesOf(series, 'switchyard_requests_total')).toStrictEqual([
      ['switchyard_requests_total{class="workhorse",model="gpt-primary",provider="openai",status="200"}', 2],
      ['switchyard_requests_total{class="workhorse",model="gpt-backup",provider="openai",status="200"}', 1],
      ['switchyard_requests_total{class="workhorse",model="",provider="",status="503"}', 1],
      // An unknown class is rejected before it is recorded: the client's string never becomes a label.
      ['switchyard_requests_total{class="",model="",provider="",status="404"}', 1],
    ]);
    expect(seriesOf(series, 'switchyard_failovers_total')).toStrictEqual([
      ['switchyard_failovers_total{class="workhorse",from_deployment="workhorse/openai/gpt-primary",reason="overloaded"}', 2],
      ['switchyard_failovers_total{class="workhorse",from_deployment="workhorse/openai/gpt-backup",reason="server_error"}', 1],
    ]);
    expect(series.get('switchyard_request_attempts_count{class="workhorse"}')).toBe(4);
    expect(series.get('switchyard_request_attempts_sum{class="workhorse"}')).toBe(1 + 1 + 2 + 2);
    expect(series.get('switchyard_request_attempts_bucket{class="workhorse",le="1"}')).toBe(2);

    const genAi = 'gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="workhorse"';
    expect(series.get(`gen_ai_server_request_duration_seconds_count{error_type="",${genAi},gen_ai_response_model="gpt-primary"}`)).toBe(2);
    expect(series.get(`gen_ai_server_request_duration_seconds_count{error_type="server_error",gen_ai_operation_name="chat",gen_ai_provider_name="",gen_ai_request_model="workhorse",gen_ai_response_model=""}`)).toBe(1);
    expect(seriesOf(series, 'gen_ai_server_time_to_first_token_seconds_count')).toStrictEqual([
      [`gen_ai_server_time_to_first_token_seconds_count{${genAi},gen_ai_response_model="gpt-primary"}`, 1],
    ]);
    // Overhead is known for answered requests (the record has no upstream time for one that failed everywhere).
    expect(series.get('switchyard_gateway_overhead_seconds_count')).toBe(3);

    expect(series.get(`gen_ai_client_token_usage_sum{${genAi},gen_ai_response_model="gpt-backup",gen_ai_token_type="input"}`)).toBe(failedOver.usage!.prompt_tokens);
    expect(series.get(`gen_ai_client_token_usage_count{${genAi},gen_ai_response_model="gpt-primary",gen_ai_token_type="output"}`)).toBe(2);
    const tokens = (type: string) => series.get(`switchyard_tokens_total{class="workhorse",provider="openai",type="${type}"}`)!;
    // The stream's usage is not visible to the client (it did not ask), so input covers at least the two others.
    expect(tokens('input')).toBeGreaterThan(clean.usage!.prompt_tokens + failedOver.usage!.prompt_tokens);
    expect(series.get('switchyard_cost_usd_total{class="workhorse",provider="openai"}')).toBeCloseTo((tokens('input') + tokens('output')) * 0.001, 9);

    expect(seriesOf(series, 'switchyard_deployment_breaker_state')).toStrictEqual([
      ['switchyard_deployment_breaker_state{deployment="workhorse/openai/gpt-primary"}', 2],
      ['switchyard_deployment_breaker_state{deployment="workhorse/openai/gpt-backup"}', 0],
    ]);
    // Only the scrape itself is left in flight... and it is not counted: probes and scrapes are the gateway's own traffic.
    expect(series.get('switchyard_in_flight_requests')).toBe(0);
    expect(series.has('process_resident_memory_bytes')).toBe(true);
    // Nothing from the request itself (ids, user text) is ever a label.
    expect([...series.keys()].some((key) => key.includes('no-such-class') || key.includes('Hello'))).toBe(false);
  });

  it('needs the master key when one is set, unless metrics_auth is false', async () => {
    gateway = await startTestGateway(yaml(`general_settings: { master_key: ${MASTER_KEY} }`), { apiKey: MASTER_KEY });
    expect((await scrape(gateway.url)).status).toBe(401);
    expect((await scrape(gateway.url, { authorization: `Bearer ${MASTER_KEY}` })).status).toBe(200);
    await gateway.close();

    gateway = await startTestGateway(yaml(`general_settings: { master_key: ${MASTER_KEY}, metrics_auth: false }`), { apiKey: MASTER_KEY });
    expect((await scrape(gateway.url)).status).toBe(200);
    // Only /metrics is opened: the API still needs the key.
    expect((await fetch(`${gateway.url}/v1/models`)).status).toBe(401);
  });

  it('counts requests in flight while they run', async () => {
    gateway = await startTestGateway(yaml());
    primary.setFault({ kind: 'hang' });
    const hanging = gateway.client.chat.completions.create({ model: 'workhorse', messages: [{ role: 'user', content: 'Hello' }] }, { timeout: 300 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await scrape(gateway.url)).series.get('switchyard_in_flight_requests')).toBe(1);
    await hanging;
    primary.setFault(null);
  });
});

describe('applying records to metrics', () => {
  it('a record with a value the metrics refuse is skipped, and never stops the records after it', async () => {
    const loaded = loadConfigText(yaml(), { source: 'test', env: {} });
    if (!loaded.ok) throw new Error('config did not load');
    const metrics = new GatewayMetrics({ config: loaded.config, processMetrics: false });
    const record = (requestId: string, latencyMs: number): RequestRecord => ({
      ...newRecord({ requestId, method: 'POST', path: '/v1/chat/completions' }),
      requestedClass: 'workhorse',
      class: 'workhorse',
      provider: 'openai',
      model: 'gpt-primary',
      status: 200,
      latencyMs,
    });
    metrics.onRecord(record('bad', Number.NaN));
    metrics.onRecord(record('good', 120));
    const series = parseSeries(await metrics.scrape());
    expect(metrics.skipped).toBe(1);
    expect(series.get('switchyard_requests_total{class="workhorse",model="gpt-primary",provider="openai",status="200"}')).toBe(2);
    expect(series.get('gen_ai_server_request_duration_seconds_count{error_type="",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="workhorse",gen_ai_response_model="gpt-primary"}')).toBe(1);
  });
});
