/**
 * `switchyard demo`: a gateway with three simulated providers at realistic speeds, gentle background traffic,
 * and a primary that goes down (an `/admin/chaos` outage) and comes back on a schedule, while a live view
 * shows where the traffic goes. Request records go to a throwaway embedded database so the dashboard has
 * something to show; everything is removed on the way out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../drill/drill-load.js';
import { GatewayAdminClient, type BreakerStateName } from '../drill/gateway-admin-client.js';
import type { ProgressWriter } from '../drill/progress-line.js';
import { drillClient } from '../drill/run-drill.js';
import { DRILL_CLASS, startSimulatedGateway, type SimulatedGateway } from '../drill/simulated-gateway.js';
import type { Gateway } from '../server/create-gateway.js';
import { createLogger } from '../telemetry/logger.js';
import { startTelemetry, type Telemetry } from '../telemetry/start-telemetry.js';
import { demoCycleMs, demoMomentAt } from './demo-schedule.js';
import { ProviderTraffic } from './provider-traffic.js';
import { renderDemoView } from './render-demo-view.js';

export interface DemoOptions {
  host: string;
  port: number;
  /** Background requests per second. */
  rps: number;
  /** Undefined: until `signal` aborts. */
  durationMs?: number;
  signal: AbortSignal;
  output: ProgressWriter;
  /** Redraw the view in place (a terminal); otherwise print it every `plainIntervalMs`. */
  tty: boolean;
  /** Keep request records for the dashboard. Default true. */
  records?: boolean;
  refreshMs?: number;
  plainIntervalMs?: number;
}

/** Realistic first-token and per-chunk times, different per provider so the view shows the difference. */
const DEMO_LATENCIES = {
  openai: { latencyMs: 350, chunkDelayMs: 20 },
  anthropic: { latencyMs: 550, chunkDelayMs: 30 },
  gemini: { latencyMs: 750, chunkDelayMs: 40 },
};
/** Slower to give up on a provider than the drill: these providers take most of a second to start. */
const DEMO_ROUTER = { timeoutSeconds: 15, streamTimeoutSeconds: 3, cooldownSeconds: 5, maxCooldownSeconds: 10 };
const WINDOW_MS = 10_000;

export async function runDemo(options: DemoOptions): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const logger = createLogger({ level: 'silent', destination: { write: () => undefined } });
    let telemetry: Telemetry | undefined;
    let gateway: Gateway | undefined;
    const dataDir = options.records === false ? undefined : await mkdtemp(join(tmpdir(), 'switchyard-demo-'));
    if (dataDir) cleanups.unshift(() => rm(dataDir, { recursive: true, force: true }));
    const own: SimulatedGateway = await startSimulatedGateway({
      latencies: DEMO_LATENCIES,
      router: DEMO_ROUTER,
      host: options.host,
      port: options.port,
      logger,
      extend: (config) => {
        if (!dataDir) return {};
        const health = { snapshots: () => gateway?.health.snapshots() ?? [] };
        const opened = startTelemetry({ config, env: {}, logger, health, database: { kind: 'pglite', dataDir: join(dataDir, 'data') } });
        // Closed even when the gateway then fails to start (a taken port).
        cleanups.unshift(() => opened.close());
        telemetry = opened;
        return { observers: opened.observers, records: opened.records };
      },
    });
    gateway = own.gateway;
    const started = telemetry;
    started?.exposeMetrics(own.gateway.metrics);
    // First of all the gateway stops taking requests; then telemetry drains into the database.
    cleanups.unshift(() => own.close());
    if (started) {
      // The embedded database's start-up holds the event loop for seconds: let it finish before the clock starts.
      options.output.write('Opening the request-record database for the dashboard...\n');
      await started.ready;
    }
    await play({ ...options, url: own.url, cleanups });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

async function play(options: DemoOptions & { url: string; cleanups: (() => Promise<unknown>)[] }): Promise<void> {
  const admin = new GatewayAdminClient({ baseUrl: options.url });
  const deployments = (await admin.deployments(DRILL_CLASS)).map((deployment) => deployment.id);
  const primary = deployments[0];
  const traffic = new ProviderTraffic({ windowMs: WINDOW_MS });
  const stopTraffic = new AbortController();
  const load = runLoad({
    client: drillClient({ url: options.url, timeoutMs: 30_000 }),
    className: DRILL_CLASS,
    rps: options.rps,
    timeoutMs: 30_000,
    signal: stopTraffic.signal,
    onOutcome: (outcome) => traffic.record(outcome),
  });
  let faultId: string | undefined;
  options.cleanups.unshift(async () => {
    stopTraffic.abort();
    await load;
    if (faultId !== undefined) await admin.removeFault(faultId);
  });

  const startedAt = Date.now();
  const cycleMs = demoCycleMs(options.durationMs);
  let lastPlainAt = Number.NEGATIVE_INFINITY;
  if (!options.tty) options.output.write(`Switchyard demo on ${options.url}; dashboard: ${options.url}/ui\n`);
  while (!options.signal.aborted) {
    const elapsedMs = Date.now() - startedAt;
    if (options.durationMs !== undefined && elapsedMs >= options.durationMs) break;
    const moment = demoMomentAt({ elapsedMs, cycleMs });
    if (moment.phase === 'outage' && faultId === undefined) {
      // A safety margin past the planned end, so the outage ends even if the demo is killed.
      const durationSeconds = Math.ceil(moment.nextChangeInMs / 1000) + 5;
      faultId = await admin.addFault({ target: { deployment: primary }, kind: 'outage', durationSeconds });
    } else if (moment.phase !== 'outage' && faultId !== undefined) {
      await admin.removeFault(faultId);
      faultId = undefined;
    }
    const [listed, failovers] = await Promise.all([admin.deployments(DRILL_CLASS), admin.failoverCounts(DRILL_CLASS)]);
    const breakers = new Map<string, BreakerStateName | undefined>(listed.map((deployment) => [deployment.id, deployment.breaker?.state]));
    const view = renderDemoView({
      url: options.url,
      className: DRILL_CLASS,
      primary,
      elapsedMs,
      durationMs: options.durationMs,
      moment,
      windowSeconds: WINDOW_MS / 1000,
      traffic: traffic.summary(deployments),
      failovers,
      breakers,
    });
    if (options.tty) {
      options.output.write(`\x1b[H\x1b[2J${view}`);
    } else if (Date.now() - lastPlainAt >= (options.plainIntervalMs ?? 5_000)) {
      lastPlainAt = Date.now();
      options.output.write(`${view}\n`);
    }
    await sleep(options.refreshMs ?? 1_000, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
