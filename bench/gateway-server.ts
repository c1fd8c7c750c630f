/**
 * Runs the BUILT gateway (`dist/`, as `npm run build` emits it for production) as a bench child process.
 * The config YAML and the log level come in the environment; logs go to this process's stdout, which the
 * parent points at /dev/null, so their formatting cost is measured without a terminal's cost on top.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { announceReady, exitWithParent, requiredEnv } from './child-lifeline.js';

type CreateGatewayModule = typeof import('../src/server/create-gateway.js');
type LoadConfigModule = typeof import('../src/config/load-config.js');
type LoggerModule = typeof import('../src/telemetry/logger.js');
type TelemetryModule = typeof import('../src/telemetry/start-telemetry.js');

// dist-bench/bench/ -> the repository root -> dist/. BENCH_GATEWAY_DIST points at another build of the
// gateway instead (an absolute path), to measure a candidate change against the current one.
const distRoot = process.env.BENCH_GATEWAY_DIST ? pathToFileURL(`${process.env.BENCH_GATEWAY_DIST.replace(/\/+$/, '')}/`) : new URL('../../dist/', import.meta.url);
const built = (path: string) => new URL(path, distRoot).href;

exitWithParent();
const { createGateway } = (await import(built('server/create-gateway.js'))) as CreateGatewayModule;
const { loadConfigText } = (await import(built('config/load-config.js'))) as LoadConfigModule;
const { createLogger, flushLogger } = (await import(built('telemetry/logger.js'))) as LoggerModule;

const loaded = loadConfigText(requiredEnv('BENCH_GATEWAY_CONFIG'), { source: 'bench', env: {} });
if (!loaded.ok) {
  process.stderr.write(`bench gateway config is invalid: ${JSON.stringify(loaded.errors)}\n`);
  process.exit(1);
}
const logger = createLogger({ level: requiredEnv('BENCH_LOG_LEVEL') });
// BENCH_TELEMETRY: `bare` turns metrics off; `records` adds request records in embedded Postgres (as `serve`
// runs by default) on top of the metrics every gateway has; `records-server` writes them to the Postgres server
// at BENCH_DATABASE_URL instead; unset is the gateway as createGateway builds it.
const telemetryMode = process.env.BENCH_TELEMETRY;
let observers;
let records;
type Telemetry = ReturnType<TelemetryModule['startTelemetry']>;
let exposeRecordGauges: Telemetry['exposeMetrics'] | undefined;
if (telemetryMode === 'records' || telemetryMode === 'records-server') {
  const { startTelemetry } = (await import(built('telemetry/start-telemetry.js'))) as TelemetryModule;
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-bench-records-'));
  const databaseUrl = telemetryMode === 'records-server' ? requiredEnv('BENCH_DATABASE_URL') : undefined;
  // The spool sits beside the data directory (`<dir>-spool`), so both go inside the temporary folder.
  const env = { SWITCHYARD_DATA_DIR: join(dataDir, 'data'), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const telemetry = startTelemetry({ config: loaded.config, env, logger });
  await telemetry.ready;
  observers = telemetry.observers;
  records = telemetry.records;
  exposeRecordGauges = (metrics) => telemetry.exposeMetrics(metrics);
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
}
const gateway = createGateway({ config: loaded.config, logger, observers, records, metrics: telemetryMode !== 'bare' });
// The record gauges, so the bench can read what the load left waiting (records-backlog.ts).
exposeRecordGauges?.(gateway.metrics);
const { port } = await gateway.listen({ port: 0, host: '127.0.0.1' });
process.on('exit', () => flushLogger(logger));
announceReady(port);
