/**
 * Everything that watches finished requests besides metrics (which the gateway always has): the record store
 * behind a batch writer with retention, traces when an OTLP endpoint is set, and alerts when webhooks are
 * configured. The database opens in the background, so the gateway starts at once; records wait in the
 * writer's queue meanwhile. `close()` drains the queue: nothing is lost on SIGTERM.
 */
import type { GatewayConfig } from '../config/types.js';
import { BatchWriter } from '../records/batch-writer.js';
import { databaseTarget, describeTarget, openDatabase, type DatabaseTarget } from '../records/open-database.js';
import { startRecordRetention, type RecordRetention } from '../records/record-retention.js';
import type { RecordQueries, RecordStore } from '../records/record-store.js';
import { SqlRecordStore } from '../records/sql-record-store.js';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AlertMonitor } from './alert-monitor.js';
import type { DeploymentHealthSource } from './deployment-health.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { Logger } from './logger.js';
import { createRecordWriterObserver } from './record-writer.js';
import type { RequestObserver, RequestRecord } from './request-record.js';
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
  /** Batch writer tuning (tests). */
  writer?: { maxBatch?: number; flushIntervalMs?: number };
}

export interface Telemetry {
  /** Pass to `createGateway({ observers })`. */
  observers: RequestObserver[];
  /** The open record store's reads, for the admin API; undefined until open, or when it failed to open. */
  records(): RecordQueries | undefined;
  /** Resolves once the record store is open (true) or has failed to (false). */
  ready: Promise<boolean>;
  /** Adds the record writer's queue gauges to the gateway's /metrics. */
  exposeMetrics(metrics: GatewayMetrics): void;
  /** Drains the record queue, flushes spans, sends due alerts, closes the database. */
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
  let discarded = 0;

  const opening: Promise<RecordStore | undefined> = openDatabase(target)
    .then((database) => SqlRecordStore.open(database))
    .then((opened) => {
      store = opened;
      logger.info({ event: 'records_open', database: describeTarget(target) }, 'request records open');
      retention = startRecordRetention({
        store: opened,
        retentionMs: config.general.recordRetentionMs,
        onDeleted: (count) => logger.info({ event: 'records_expired', count }, 'expired request records deleted'),
        onError: (error) => logger.error({ err: error, event: 'records_retention_failed' }, 'record retention failed'),
      });
      void seedDailyCosts(opened);
      return opened;
    })
    .catch((error: unknown) => {
      logger.error({ err: error, event: 'records_unavailable', database: describeTarget(target) }, 'request records disabled: the database did not open');
      return undefined;
    });

  const writer = new BatchWriter<RequestRecord>({
    maxBatch: options.writer?.maxBatch,
    flushIntervalMs: options.writer?.flushIntervalMs,
    // Until the database is open the write waits; if it never opens, batches are discarded (its failure is logged once).
    write: async (batch) => {
      const opened = await opening;
      if (!opened) {
        discarded += batch.length;
        return;
      }
      const { rejected } = await opened.insert(batch);
      if (rejected > 0) {
        discarded += rejected;
        logger.error({ event: 'records_rejected', records: rejected }, 'request records the database refused as data were left out');
      }
    },
    onError: (error, size) => logger.error({ err: error, event: 'records_write_failed', records: size }, 'request record batch not written; will retry'),
  });

  const observers: RequestObserver[] = [createRecordWriterObserver({ writer })];
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
      metrics.addGauge({ name: 'switchyard_record_queue_length', help: 'Request records waiting to be written to the database.', read: () => writer.stats.pending });
      metrics.addGauge({ name: 'switchyard_records_dropped', help: 'Request records dropped since start (queue full, or the database unavailable at shutdown).', read: () => writer.stats.dropped });
    },
    async close() {
      const { lost } = await writer.stop();
      const written = writer.stats.written - discarded;
      logger.info({ event: 'records_drained', written, lost: lost + discarded }, 'request records drained');
      traces?.drain();
      await Promise.allSettled([alerts?.stop(), tracing?.shutdown(), retention?.stop()]);
      const opened = await opening;
      await opened?.close().catch(() => undefined);
    },
  };
}
