/**
 * Everything that watches finished requests besides metrics (which the gateway always has): the record store
 * fed from the spool on disk, with retention; traces when an OTLP endpoint is set; and alerts when webhooks are
 * configured. The database opens in the background, so the gateway starts at once; records wait in the spool
 * meanwhile. `close()` flushes the spool and waits for the database to catch up: nothing is lost on SIGTERM,
 * and what a slow or absent database had not stored by then is stored on the next start.
 */
import type { GatewayConfig } from '../config/types.js';
import { databaseTarget, describeTarget, openDatabase, spoolDirectory, type DatabaseTarget } from '../records/open-database.js';
import { RecordSpool } from '../records/record-spool.js';
import { SpoolIngest } from '../records/spool-ingest.js';
import { startRecordRetention, type RecordRetention } from '../records/record-retention.js';
import type { RecordQueries, RecordStore } from '../records/record-store.js';
import { SqlRecordStore } from '../records/sql-record-store.js';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AlertMonitor } from './alert-monitor.js';
import type { DeploymentHealthSource } from './deployment-health.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { Logger } from './logger.js';
import { createRecordWriterObserver } from './record-writer.js';
import type { RequestObserver } from './request-record.js';
import { createTraceObserver, type TraceObserver } from './request-spans.js';
import { startTracing } from './tracing.js';

export interface TelemetryOptions {
  config: GatewayConfig;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  health?: DeploymentHealthSource;
  /** Where the records go; default from `DATABASE_URL`, `SWITCHYARD_DATA_DIR`, `database_dir`. */
  database?: DatabaseTarget;
  /** Replaces the OTLP exporter (tests). */
  traceExporter?: SpanExporter;
  /** Spool tuning (tests): how often it is written to disk. */
  spool?: { flushIntervalMs?: number };
  /** Longest `close()` waits for the database to store what is spooled. Default 10 s. */
  drainTimeoutMs?: number;
}

export interface Telemetry {
  /** Pass to `createGateway({ observers })`. */
  observers: RequestObserver[];
  /** The open record store's reads, for the admin API; undefined until open, or when it failed to open. */
  records(): RecordQueries | undefined;
  /** Resolves once the record store is open (true) or has failed to (false). */
  ready: Promise<boolean>;
  /** Adds the record spool's gauges to the gateway's /metrics. */
  exposeMetrics(metrics: GatewayMetrics): void;
  /** Drains the record spool, flushes spans, sends due alerts, closes the database. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function startTelemetry(options: TelemetryOptions): Telemetry {
  const { config, logger } = options;
  const startedAt = Date.now();
  const target = options.database ?? databaseTarget({ env: options.env, general: config.general });
  let store: RecordStore | undefined;
  let retention: RecordRetention | undefined;
  let alerts: AlertMonitor | undefined;
  const spool = new RecordSpool({
    dir: spoolDirectory({ target, env: options.env, general: config.general }),
    flushIntervalMs: options.spool?.flushIntervalMs,
    onError: (error) => logger.error({ err: error, event: 'records_spool_failed' }, 'request records could not be written to the spool'),
  });
  const ingest = new SpoolIngest({
    spool,
    store: {
      // Until the database is open the ingest waits here; if it never opens, records stay in the spool.
      spoolPosition: async (spoolId) => (await openedStore()).spoolPosition(spoolId),
      storeSpooled: async (chunk) => (await openedStore()).storeSpooled(chunk),
      moveSpoolPosition: async (spoolId, position) => (await openedStore()).moveSpoolPosition(spoolId, position),
    },
    // A saturated gateway serves first: records wait in the spool for up to half a minute of full load.
    deferWhenBusy: { utilization: 0.9, maxDeferMs: 30_000 },
    onRejected: (count) => logger.error({ event: 'records_rejected', records: count }, 'request records the database refused as data were left out'),
    onTorn: (segment, bytes) => logger.warn({ event: 'records_torn', segment, bytes }, 'a spool segment ended in a partial record (cut by a crash); it was left out'),
    onError: (error) => logger.error({ err: error, event: 'records_write_failed' }, 'request records not stored yet; will retry'),
  });

  const opening: Promise<RecordStore | undefined> = openDatabase(target)
    .then((database) => SqlRecordStore.open(database))
    .then((opened) => {
      store = opened;
      logger.info({ event: 'records_open', database: describeTarget(target), spool: spool.dir }, 'request records open');
      retention = startRecordRetention({
        store: opened,
        retentionMs: config.general.recordRetentionMs,
        onDeleted: (count) => logger.info({ event: 'records_expired', count }, 'expired request records deleted'),
        onError: (error) => logger.error({ err: error, event: 'records_retention_failed' }, 'record retention failed'),
      });
      void seedDailyCosts(opened);
      ingest.start();
      return opened;
    })
    .catch((error: unknown) => {
      logger.error({ err: error, event: 'records_unavailable', database: describeTarget(target) }, 'request records are kept in the spool: the database did not open');
      return undefined;
    });

  async function openedStore(): Promise<RecordStore> {
    const opened = await opening;
    if (!opened) throw new Error('the record database is not open');
    return opened;
  }

  const observers: RequestObserver[] = [createRecordWriterObserver({ spool })];
  const tracing = startTracing({ env: options.env, exporter: options.traceExporter, batch: options.traceExporter ? false : undefined });
  let traces: TraceObserver | undefined;
  if (tracing) {
    traces = createTraceObserver({ tracer: tracing.tracer });
    observers.push(traces);
  }
  const webhooks = config.general.alertingWebhooks ?? [];
  if (webhooks.length > 0) {
    alerts = new AlertMonitor({ webhooks, rules: config.general.alertingRules, health: options.health, logger });
    observers.push(alerts);
  }

  async function seedDailyCosts(opened: RecordStore): Promise<void> {
    if (!alerts) return;
    // Only what earlier runs recorded: this run's records reach the alert conditions directly.
    const costs = await opened.dailyCosts({ since: Math.floor(startedAt / DAY_MS) * DAY_MS - DAY_MS, until: startedAt }).catch(() => []);
    for (const cost of costs) alerts.conditions.addCost(cost);
  }

  return {
    observers,
    records: () => store,
    ready: opening.then((opened) => opened !== undefined),
    exposeMetrics(metrics) {
      metrics.addGauge({
        name: 'switchyard_record_queue_length',
        help: 'Request records of this run waiting to be stored in the database (in memory or in the spool on disk).',
        read: () => Math.max(0, spool.stats.appended - ingest.stats.stored - ingest.stats.rejected),
      });
      metrics.addGauge({ name: 'switchyard_record_spool_bytes', help: 'Bytes of request records in the spool on disk.', read: () => spool.stats.diskBytes });
      metrics.addGauge({ name: 'switchyard_records_dropped', help: 'Request records dropped since start (the spool full or unwritable).', read: () => spool.stats.dropped });
    },
    async close() {
      // With no database, closing the spool writes it out; the next run with one stores it.
      const drained = (await opening) !== undefined && (await ingest.drain({ timeoutMs: options.drainTimeoutMs ?? 10_000 }));
      await ingest.stop();
      await spool.close();
      const { appended, dropped } = spool.stats;
      const { stored, rejected } = ingest.stats;
      const waiting = drained ? 0 : Math.max(0, appended - stored - rejected);
      logger.info({ event: 'records_drained', stored, spooled: waiting, lost: dropped + rejected }, 'request records drained');
      traces?.drain();
      await Promise.allSettled([alerts?.stop(), tracing?.shutdown(), retention?.stop()]);
      const opened = await opening;
      await opened?.close().catch(() => undefined);
    },
  };
}
