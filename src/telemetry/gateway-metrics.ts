/**
 * Prometheus metrics, following the OpenTelemetry GenAI semantic conventions where one exists
 * (`gen_ai.server.request.duration` -> `gen_ai_server_request_duration_seconds`, ...). Labels come only from the
 * config (classes, deployments, providers), status codes and failure categories, never from request content,
 * so cardinality stays bounded: a class the config does not know is labelled `unknown`.
 * `onRecord` applies the finished record at once: arithmetic on series handles kept per route (see
 * metric-families.ts), a fraction of a microsecond; prom-client only renders them at scrape. (Records used to
 * wait in a queue folded in batches: in the bench that cost the same, and it kept records alive past their
 * request.) Breaker and in-flight gauges are read at scrape time.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayConfig } from '../config/types.js';
import type { DeploymentHealthSource } from './deployment-health.js';
import { CounterFamily, HistogramFamily, type CounterSeries, type HistogramSeries } from './metric-families.js';
import { isOwnTraffic } from './own-traffic.js';
import type { RequestObserver, RequestRecord } from './request-record.js';

// Bucket boundaries from the GenAI semantic conventions.
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const ATTEMPT_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10];
const BREAKER_VALUES = { closed: 0, half_open: 1, open: 2 } as const;

const GEN_AI_LABELS = ['gen_ai_operation_name', 'gen_ai_request_model', 'gen_ai_provider_name', 'gen_ai_response_model'] as const;

export interface GatewayMetricsOptions {
  config: GatewayConfig;
  /** Breaker state per deployment, read at scrape time. */
  health?: DeploymentHealthSource;
  /** Node process metrics (CPU, memory, event-loop lag). Default true. */
  processMetrics?: boolean;
}

type Operation = 'chat' | 'embeddings';
type TokenType = 'input' | 'output' | 'cached' | 'reasoning';

interface Families {
  requests: CounterFamily;
  streamErrors: CounterFamily;
  attempts: HistogramFamily;
  duration: HistogramFamily;
  ttft: HistogramFamily;
  tokenUsage: HistogramFamily;
  tokens: CounterFamily;
  cost: CounterFamily;
}

/**
 * The series one route (operation, class, provider, model) updates, each looked up on its first use and kept,
 * so folding a record builds no label key. A series is only looked up when it is about to be updated: prom-client
 * lists a series from its first update, and so do the families.
 */
class RouteSeries {
  private readonly requestsByStatus = new Map<number, CounterSeries>();
  private readonly durationsByErrorType = new Map<string, HistogramSeries>();
  private readonly streamErrorsByReason = new Map<string, CounterSeries>();
  private readonly tokenUsageByType: Partial<Record<'input' | 'output', HistogramSeries>> = {};
  private readonly tokensByType: Partial<Record<TokenType, CounterSeries>> = {};
  private attemptsSeries: HistogramSeries | undefined;
  private ttftSeries: HistogramSeries | undefined;
  private costSeries: CounterSeries | undefined;

  constructor(
    private readonly families: Families,
    private readonly labels: { operation: Operation; className: string; provider: string; model: string },
  ) {}

  requests(status: number): CounterSeries {
    let series = this.requestsByStatus.get(status);
    if (series === undefined) {
      const { className, provider, model } = this.labels;
      series = this.families.requests.series([className, provider, model, String(status)]);
      this.requestsByStatus.set(status, series);
    }
    return series;
  }

  streamErrors(reason: string): CounterSeries {
    let series = this.streamErrorsByReason.get(reason);
    if (series === undefined) {
      series = this.families.streamErrors.series([this.labels.className, this.labels.provider, reason]);
      this.streamErrorsByReason.set(reason, series);
    }
    return series;
  }

  attempts(): HistogramSeries {
    return (this.attemptsSeries ??= this.families.attempts.series([this.labels.className]));
  }

  // Positional GenAI labels: operation, request model (the class), provider, response model.
  duration(errorType: string): HistogramSeries {
    let series = this.durationsByErrorType.get(errorType);
    if (series === undefined) {
      series = this.families.duration.series([...this.genAiLabels(), errorType]);
      this.durationsByErrorType.set(errorType, series);
    }
    return series;
  }

  ttft(): HistogramSeries {
    return (this.ttftSeries ??= this.families.ttft.series(this.genAiLabels()));
  }

  tokenUsage(type: 'input' | 'output'): HistogramSeries {
    return (this.tokenUsageByType[type] ??= this.families.tokenUsage.series([...this.genAiLabels(), type]));
  }

  tokens(type: TokenType): CounterSeries {
    return (this.tokensByType[type] ??= this.families.tokens.series([this.labels.className, this.labels.provider, type]));
  }

  cost(): CounterSeries {
    return (this.costSeries ??= this.families.cost.series([this.labels.className, this.labels.provider]));
  }

  private genAiLabels(): string[] {
    const { operation, className, provider, model } = this.labels;
    return [operation, className, provider, model];
  }
}

/** Routes by operation, class, provider and model: nested maps, so a lookup hashes strings the config owns. */
type RouteTree = Map<string, Map<string, Map<string, RouteSeries>>>;

export class GatewayMetrics implements RequestObserver {
  readonly registry = new Registry();
  private readonly classes: Set<string>;
  private readonly families: Families;
  private readonly failovers: CounterFamily;
  private readonly overhead: HistogramSeries;
  private readonly routes: Record<Operation, RouteTree> = { chat: new Map(), embeddings: new Map() };
  private inFlight = 0;
  private skippedRecords = 0;

  constructor(options: GatewayMetricsOptions) {
    const registers = [this.registry];
    this.classes = new Set(options.config.classes.keys());
    // Created in the order they were registered before: the registry renders in registration order.
    const requests = new CounterFamily({ name: 'switchyard_requests_total', help: 'Requests answered, by class, answering provider and model, and HTTP status.', labelNames: ['class', 'provider', 'model', 'status'], registers });
    this.failovers = new CounterFamily({ name: 'switchyard_failovers_total', help: 'Failed upstream attempts the gateway moved on from, by class, deployment and failure category.', labelNames: ['class', 'from_deployment', 'reason'], registers });
    const streamErrors = new CounterFamily({ name: 'switchyard_stream_errors_total', help: 'Streams that failed after their first byte reached the client.', labelNames: ['class', 'provider', 'reason'], registers });
    const attempts = new HistogramFamily({ name: 'switchyard_request_attempts', help: 'Upstream attempts per request.', labelNames: ['class'], buckets: ATTEMPT_BUCKETS, registers });
    const duration = new HistogramFamily({ name: 'gen_ai_server_request_duration_seconds', help: 'Time from request arrival to the last byte of the answer (gen_ai.server.request.duration).', labelNames: [...GEN_AI_LABELS, 'error_type'], buckets: DURATION_BUCKETS, registers });
    const ttft = new HistogramFamily({ name: 'gen_ai_server_time_to_first_token_seconds', help: 'Time to the first streamed chunk (gen_ai.server.time_to_first_token); streams only.', labelNames: GEN_AI_LABELS, buckets: TTFT_BUCKETS, registers });
    const overhead = new HistogramFamily({ name: 'switchyard_gateway_overhead_seconds', help: 'Request latency minus upstream time and backoff: what the gateway itself added.', buckets: OVERHEAD_BUCKETS, registers });
    this.overhead = overhead.series([]);
    const tokenUsage = new HistogramFamily({ name: 'gen_ai_client_token_usage', help: 'Tokens per request by type (gen_ai.client.token.usage).', labelNames: [...GEN_AI_LABELS, 'gen_ai_token_type'], buckets: TOKEN_BUCKETS, registers });
    const tokens = new CounterFamily({ name: 'switchyard_tokens_total', help: 'Tokens by class, provider and type (input, output, cached, reasoning).', labelNames: ['class', 'provider', 'type'], registers });
    const cost = new CounterFamily({ name: 'switchyard_cost_usd_total', help: 'Cost in USD by class and provider.', labelNames: ['class', 'provider'], registers });
    this.families = { requests, streamErrors, attempts, duration, ttft, tokenUsage, tokens, cost };
    const readInFlight = () => this.inFlight;
    new Gauge({
      name: 'switchyard_in_flight_requests',
      help: 'Requests being handled now.',
      registers,
      collect() {
        this.set(readInFlight());
      },
    });
    const { health } = options;
    new Gauge({
      name: 'switchyard_deployment_breaker_state',
      help: 'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.',
      labelNames: ['deployment'],
      registers,
      collect() {
        this.reset();
        for (const snapshot of health?.snapshots() ?? []) this.set({ deployment: snapshot.deploymentId }, BREAKER_VALUES[snapshot.state]);
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** Exposes a gauge read at scrape time, e.g. the record writer's queue length. */
  addGauge(options: { name: string; help: string; read: () => number }): void {
    const { read } = options;
    new Gauge({
      name: options.name,
      help: options.help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  onStart(record: RequestRecord): void {
    if (!isOwnTraffic(record.path)) this.inFlight++;
  }

  onRecord(record: RequestRecord): void {
    if (isOwnTraffic(record.path)) return;
    this.inFlight--;
    try {
      this.apply(record);
    } catch {
      // A value the metrics refuse (a NaN latency, say) loses that one record's remaining updates, never the request.
      this.skippedRecords++;
    }
  }

  /** Records whose metrics could not all be applied (a value the metrics refuse). */
  get skipped(): number {
    return this.skippedRecords;
  }

  private apply(record: RequestRecord): void {
    const className = this.classLabel(record);
    const provider = record.provider ?? '';
    const model = record.model ?? '';
    const operation: Operation = record.path.endsWith('/embeddings') ? 'embeddings' : 'chat';
    const route = this.route({ operation, className, provider, model });
    route.requests(record.status ?? 0).inc();
    if (record.requestedClass === undefined) return;

    for (const attempt of record.attempts) {
      if (attempt.category) this.failovers.series([attempt.className, attempt.deploymentId, attempt.category]).inc();
    }
    if (record.streamError) route.streamErrors(record.streamError).inc();
    route.attempts().observe(record.attempts.length);
    if (record.latencyMs !== undefined) route.duration(errorType(record)).observe(record.latencyMs / 1000);
    if (record.stream && record.ttftMs !== undefined && record.model) route.ttft().observe(record.ttftMs / 1000);
    if (record.overheadMs !== undefined) this.overhead.observe(record.overheadMs / 1000);
    const usage = record.usage;
    if (usage) {
      route.tokenUsage('input').observe(usage.prompt);
      route.tokenUsage('output').observe(usage.completion);
      route.tokens('input').inc(usage.prompt);
      route.tokens('output').inc(usage.completion);
      if (usage.cached > 0) route.tokens('cached').inc(usage.cached);
      if (usage.reasoning > 0) route.tokens('reasoning').inc(usage.reasoning);
    }
    if (record.costUsd !== undefined && record.costUsd > 0) route.cost().inc(record.costUsd);
  }

  private route(labels: { operation: Operation; className: string; provider: string; model: string }): RouteSeries {
    const byClass = this.routes[labels.operation];
    let byProvider = byClass.get(labels.className);
    if (byProvider === undefined) byClass.set(labels.className, (byProvider = new Map()));
    let byModel = byProvider.get(labels.provider);
    if (byModel === undefined) byProvider.set(labels.provider, (byModel = new Map()));
    let route = byModel.get(labels.model);
    if (route === undefined) byModel.set(labels.model, (route = new RouteSeries(this.families, labels)));
    return route;
  }

  /** The answering class, else the requested one when the config knows it; never a client's free text. */
  private classLabel(record: RequestRecord): string {
    if (record.class) return record.class;
    if (record.requestedClass === undefined) return '';
    return this.classes.has(record.requestedClass) ? record.requestedClass : 'unknown';
  }
}

/** OTel `error.type`: the failure category behind an unanswered request, else its error code; '' on success. */
export function errorType(record: RequestRecord): string {
  if (record.streamError) return record.streamError;
  if (record.status !== undefined && record.status < 400) return '';
  for (let index = record.attempts.length - 1; index >= 0; index--) {
    const category = record.attempts[index].category;
    if (category) return category;
  }
  return record.error ?? (record.status !== undefined ? String(record.status) : '');
}
