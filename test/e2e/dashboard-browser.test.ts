/**
 * The dashboard in a real browser: Debian's Chromium, driven by playwright-core, against a real gateway with
 * simulated providers and request records in an embedded database. Traffic with failovers goes through the
 * gateway first; the page must then show that run: totals, failover rate and reasons per provider, breaker
 * states with their countdowns, and the request rows, with the log's filters working.
 *
 * Skips (and says so) where /usr/bin/chromium is missing; `.ci/run` installs it. Leaves a screenshot in
 * test-artifacts/dashboard.png, and with UPDATE_SCREENSHOT=1 also refreshes docs/dashboard.png for the README.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfigText } from '../../src/config/load-config.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startTelemetry, type Telemetry } from '../../src/telemetry/start-telemetry.js';
import { startTestGateway, type TestGateway } from '../helpers/start-gateway.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const MASTER_KEY = 'sk-master-dashboard-test-0123';
const DASHBOARD_KEY = 'sk-dashboard-read-only-4567';
const ARTIFACT = join(process.cwd(), 'test-artifacts', 'dashboard.png');
const README_SCREENSHOT = join(process.cwd(), 'docs', 'dashboard.png');

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) process.stderr.write(`dashboard browser test skipped: ${CHROMIUM} not found (apt-get install chromium; .ci/run does)\n`);

/** What the gateway told the client about one request. */
interface Sent {
  requestId: string;
  className: string;
  status: number;
  provider: string | null;
  reasons: string[];
}

let openai: Simulator;
let anthropic: Simulator;
let gemini: Simulator;
let telemetry: Telemetry;
let gateway: TestGateway;
let dataDir: string;
let profileDir: string;
let browser: BrowserContext;
let page: Page;
const sent: Sent[] = [];
const pageErrors: string[] = [];

function yaml(): string {
  return `
model_list:
  - model_name: workhorse
    litellm_params: { model: openai/gpt-4o-mini, api_base: ${openai.baseUrl}, api_key: sk-openai, order: 1 }
  - model_name: workhorse
    litellm_params: { model: anthropic/claude-haiku-4-5, api_base: ${anthropic.baseUrl}, api_key: sk-anthropic, order: 2 }
  - model_name: coder
    litellm_params: { model: gemini/gemini-2.5-flash, api_base: ${gemini.baseUrl}, api_key: sk-gemini, order: 1 }
  - model_name: coder
    litellm_params: { model: anthropic/claude-haiku-4-5, api_base: ${anthropic.baseUrl}, api_key: sk-anthropic, order: 2 }
router_settings: { num_retries: 0, allowed_fails: 2, cooldown_time: 90 }
general_settings: { master_key: ${MASTER_KEY}, dashboard_key: os.environ/DASHBOARD_KEY }
`;
}

async function send(className: string, options: { stream?: boolean } = {}): Promise<void> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: className, messages: [{ role: 'user', content: `Hello from request ${sent.length + 1}` }], stream: options.stream ?? false }),
  });
  await response.text();
  const reasons = response.headers.get('x-switchyard-fallback-reason');
  sent.push({
    requestId: response.headers.get('x-request-id')!,
    className,
    status: response.status,
    provider: response.headers.get('x-switchyard-provider'),
    reasons: reasons ? reasons.split(', ') : [],
  });
}

async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  return (await response.json()) as T;
}

async function texts(selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  beforeAll(async () => {
    [openai, anthropic, gemini] = await Promise.all([
      startSimulator({ format: 'openai', name: 'sim-openai', latencyMs: 40 }),
      startSimulator({ format: 'anthropic', name: 'sim-anthropic', latencyMs: 120 }),
      startSimulator({ format: 'gemini', name: 'sim-gemini', latencyMs: 70, chunkDelayMs: 5 }),
    ]);
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-records-'));
    profileDir = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-chromium-'));
    const env = { DASHBOARD_KEY };
    const loaded = loadConfigText(yaml(), { source: 'test', env });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    telemetry = startTelemetry({
      config: loaded.config,
      env: {},
      logger: createLogger({ level: 'silent' }),
      database: { kind: 'pglite', dataDir: join(dataDir, 'data') },
      spool: { flushIntervalMs: 50 },
    });
    expect(await telemetry.ready).toBe(true);
    gateway = await startTestGateway(yaml(), { env, observers: telemetry.observers, records: telemetry.records });

    // Clean traffic on both classes, one of them streamed.
    for (let index = 0; index < 4; index++) await send('workhorse');
    for (let index = 0; index < 2; index++) await send('coder');
    await send('coder', { stream: true });
    // OpenAI overloaded: workhorse fails over to Anthropic until OpenAI's breaker opens (2 allowed fails), then
    // goes to Anthropic directly.
    openai.setFault({ kind: 'status', status: 503 });
    for (let index = 0; index < 3; index++) await send('workhorse');
    // Gemini rate-limited: coder fails over to Anthropic, and Gemini's breaker opens at once.
    gemini.setFault({ kind: 'status', status: 429, retryAfterSeconds: 45 });
    await send('coder');
    // Anthropic down too: workhorse has nobody left (OpenAI's breaker is open) and the request fails.
    anthropic.setFault({ fault: { kind: 'status', status: 500 }, times: 1 });
    await send('workhorse');

    // The records reach the database through the batch writer.
    await vi.waitFor(
      async () => expect((await adminGet<{ records: unknown[] }>('/admin/records?limit=100')).records).toHaveLength(sent.length),
      { timeout: 10_000, interval: 50 },
    );

    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1440, height: 1000 },
      deviceScaleFactor: 1,
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Chromium logs every non-2xx fetch; the 401s before a key is entered are expected.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) pageErrors.push(message.text());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await telemetry?.close();
    await Promise.all([openai, anthropic, gemini].map((simulator) => simulator?.close()));
    await Promise.all([dataDir, profileDir].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('ran the traffic it meant to: failovers with reasons, an open breaker, one failed request', () => {
    expect(sent.map((request) => [request.className, request.status, request.provider, request.reasons.join(', ')])).toStrictEqual([
      ...Array.from({ length: 4 }, () => ['workhorse', 200, 'openai', '']),
      ...Array.from({ length: 3 }, () => ['coder', 200, 'gemini', '']),
      ['workhorse', 200, 'anthropic', 'overloaded'],
      ['workhorse', 200, 'anthropic', 'overloaded'],
      ['workhorse', 200, 'anthropic', ''],
      ['coder', 200, 'anthropic', 'rate_limit'],
      ['workhorse', 503, null, 'server_error'],
    ]);
  });

  it('asks for a key when opened without one, then goes live with the dashboard key', async () => {
    await page.goto(`${gateway.url}/ui`);
    await expect.poll(() => page.locator('#status').textContent()).toContain('Enter the dashboard key');
    await page.fill('#key-input', DASHBOARD_KEY);
    await page.click('#key-form button[type=submit]');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toMatch(/^live · updated/);
    expect(await page.evaluate(() => sessionStorage.getItem('switchyard.dashboardKey'))).toBe(DASHBOARD_KEY);
  });

  it('shows this run\'s totals, and both charts describe the same numbers', async () => {
    const failovers = sent.filter((request) => request.reasons.length > 0).length;
    const errors = sent.filter((request) => request.status >= 500).length;
    const tile = (name: string) => page.locator(`[data-tile="${name}"] strong`).textContent();
    expect({ requests: await tile('requests'), failoverRate: await tile('failover rate'), errors: await tile('errors'), openBreakers: await tile('open breakers') }).toStrictEqual({
      requests: String(sent.length),
      failoverRate: `${Math.round((failovers / sent.length) * 100)}%`,
      errors: String(errors),
      openBreakers: '2',
    });
    expect(await page.locator('#volume-chart').getAttribute('aria-label')).toBe(`Request volume over the window: ${sent.length} requests, ${failovers} failovers, ${errors} errors.`);
    expect(await page.locator('#volume-chart canvas').count()).toBe(1);
    expect(await texts('#volume-chart .u-legend .u-series:not(:first-child) .u-label')).toStrictEqual(['requests', 'failovers', 'errors']);
    // Hovering the newest bucket puts its counts in the legend.
    const plot = (await page.locator('#volume-chart .u-over').boundingBox())!;
    await page.mouse.move(plot.x + plot.width - 1, plot.y + plot.height / 2);
    expect(await texts('#volume-chart .u-legend .u-series:not(:first-child) .u-value')).toSatisfy((values: string[]) => values.every((value) => /^\d+$/.test(value)));
    expect(await texts('#failover-chart .u-legend .u-series:not(:first-child) .u-label')).toStrictEqual(['anthropic', 'gemini', 'openai']);
    expect(await page.locator('#failover-chart').getAttribute('aria-label')).toBe('Failover rate by provider over the window: anthropic 20%, gemini 25%, openai 33%.');
  });

  it('failover rate per provider with the reasons, and the recent failovers', async () => {
    // OpenAI: 6 attempts, 2 overloaded. Gemini: 4 attempts, 1 rate-limited. Anthropic: 5 attempts, 1 server error.
    const rows = await page.locator('#provider-failover tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(rows).toStrictEqual([
      ['anthropic', '5', '1', '20%', 'server_error ×1'],
      ['gemini', '4', '1', '25%', 'rate_limit ×1'],
      ['openai', '6', '2', '33%', 'overloaded ×2'],
    ]);
    const failedOver = sent.filter((request) => request.reasons.length > 0).reverse();
    expect(await page.locator('#recent-failovers tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.requestId))).toStrictEqual(
      failedOver.map((request) => request.requestId),
    );
    expect(await texts('#recent-failovers td.reasons')).toStrictEqual(failedOver.map((request) => request.reasons.join(', ')));
    expect(await texts('#recent-failovers td.chain')).toContain('gemini/gemini-2.5-flash rate_limit 429 → anthropic/claude-haiku-4-5 ok');
  });

  it('deployment states, with the time until an open breaker retries counting down', async () => {
    const states = await page.locator('#deployment-states tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [(tr as HTMLElement).dataset.deployment, (tr as HTMLElement).dataset.state]),
    );
    expect(states).toStrictEqual([
      ['workhorse/openai/gpt-4o-mini', 'open'],
      ['workhorse/anthropic/claude-haiku-4-5', 'closed'],
      ['coder/gemini/gemini-2.5-flash', 'open'],
      ['coder/anthropic/claude-haiku-4-5', 'closed'],
    ]);
    const countdown = page.locator('tr[data-deployment="workhorse/openai/gpt-4o-mini"] td.countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^1m \d\ds$/);
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
    expect(await page.locator('tr[data-deployment="coder/gemini/gemini-2.5-flash"] td.countdown').textContent()).toMatch(/^(\dm \d\ds|\d{1,2}s)$/);
    expect(await page.locator('tr[data-deployment="coder/anthropic/claude-haiku-4-5"] td.countdown').textContent()).toBe('–');
  });

  it('the request log has every request of the run, and its filters narrow it', async () => {
    const ids = () => page.locator('#request-log tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.requestId));
    const newestFirst = (requests: Sent[]) => [...requests].reverse().map((request) => request.requestId);
    expect(await ids()).toStrictEqual(newestFirst(sent));

    await page.selectOption('#log-filters select[name=provider]', 'anthropic');
    await expect.poll(ids).toStrictEqual(newestFirst(sent.filter((request) => request.provider === 'anthropic')));
    await page.selectOption('#log-filters select[name=class]', 'coder');
    await expect.poll(ids).toStrictEqual(newestFirst(sent.filter((request) => request.provider === 'anthropic' && request.className === 'coder')));
    await page.selectOption('#log-filters select[name=provider]', '');
    await page.selectOption('#log-filters select[name=class]', '');
    await page.selectOption('#log-filters select[name=status]', 'error');
    await expect.poll(ids).toStrictEqual(newestFirst(sent.filter((request) => request.status >= 400)));
    expect(await texts('#request-log tbody td.bad')).toStrictEqual(['503']);
    await page.selectOption('#log-filters select[name=status]', '');
    await expect.poll(ids).toStrictEqual(newestFirst(sent));
  });

  it('cost per class today and over 7 days, and p95 latency per class and provider', async () => {
    const costRows = await page.locator('#cost-by-class tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.class));
    expect([...costRows].sort()).toStrictEqual(['coder', 'workhorse']);
    expect(await texts('#cost-by-class tbody td:nth-child(2)')).not.toContain('$0.00');
    const latencyRows = await page.locator('#class-provider tbody tr').evaluateAll((trs) =>
      trs.map((tr) => `${(tr as HTMLElement).dataset.class}/${(tr as HTMLElement).dataset.provider}`),
    );
    expect([...latencyRows].sort()).toStrictEqual(['coder/anthropic', 'coder/gemini', 'workhorse/', 'workhorse/anthropic', 'workhorse/openai']);
    const latencies = await texts('#class-provider tbody td:nth-child(5)');
    expect(latencies.filter((text) => !/^\d+ ms$|^\d\.\d\d s$/.test(text))).toStrictEqual([]);
  });

  it('logged no script or policy errors, and leaves a screenshot', async () => {
    expect(pageErrors).toStrictEqual([]);
    await mkdir(join(process.cwd(), 'test-artifacts'), { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: ARTIFACT, fullPage: true });
    if (process.env.UPDATE_SCREENSHOT === '1') {
      await mkdir(join(process.cwd(), 'docs'), { recursive: true });
      await copyFile(ARTIFACT, README_SCREENSHOT);
    }
    expect(existsSync(ARTIFACT)).toBe(true);
  });
});

if (!hasChromium) {
  describe('dashboard in Chromium', () => {
    it.skip(`skipped: ${CHROMIUM} not found`, () => undefined);
  });
}
