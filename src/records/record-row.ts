/**
 * A request record as a table row and back. The row keeps everything the record says; the API shape is the
 * row in camelCase with the attempts as they were recorded.
 */
import type { AttemptRecord } from '../routing/attempt.js';
import type { RequestRecord } from '../telemetry/request-record.js';
import { copyField as field, copyIntegerField as integerField, copyJsonField as jsonField } from './copy-text.js';

/** Columns in insert order; `recordCopyLine` writes the values in the same order. */
export const RECORD_COLUMNS = [
  'request_id', 'started_at', 'method', 'path', 'surface', 'caller', 'requested_class', 'class', 'deployment', 'provider',
  'model', 'stream', 'status', 'error', 'stream_error', 'attempt_count', 'failover_reasons', 'attempts', 'latency_ms',
  'ttft_ms', 'overhead_ms', 'upstream_ms', 'backoff_ms', 'tokens_in', 'tokens_out', 'tokens_cached', 'tokens_reasoning',
  'cost_usd', 'cache_hit', 'injected_fault', 'notes',
] as const;

/** The failure categories that made the gateway move on, in order (the `x-switchyard-fallback-reason` list). */
export function failoverReasons(record: RequestRecord): string[] {
  return record.attempts.flatMap((attempt) => (attempt.category ? [attempt.category] : []));
}

// Most requests have no failed attempt: their reasons are the empty array, without building one.
function reasonsField(record: RequestRecord): string {
  for (const attempt of record.attempts) if (attempt.category) return field(failoverReasons(record));
  return '{}';
}

// Records come in start order, many per millisecond: the ISO text of the last start time is reused.
let lastStartedAt = Number.NaN;
let lastStartedAtText = '';

function timestampField(epochMs: number): string {
  if (epochMs !== lastStartedAt) {
    lastStartedAt = epochMs;
    lastStartedAtText = new Date(epochMs).toISOString();
  }
  return lastStartedAtText;
}

/**
 * The record as one line of COPY text, columns in RECORD_COLUMNS order. Built straight into one string: this
 * runs on the event loop for every record, and an intermediate array of 31 values per record is measurable.
 */
export function recordCopyLine(record: RequestRecord): string {
  const usage = record.usage;
  return (
    `${field(record.requestId)}\t${timestampField(record.startedAt)}\t${field(record.method)}\t${field(record.path)}\t` +
    `${field(record.surface)}\t${field(record.caller)}\t${field(record.requestedClass)}\t${field(record.class)}\t` +
    `${field(record.deployment)}\t${field(record.provider)}\t${field(record.model)}\t${field(record.stream)}\t` +
    `${integerField(record.status)}\t${field(record.error)}\t${field(record.streamError)}\t${record.attempts.length}\t` +
    `${reasonsField(record)}\t${jsonField(record.attempts)}\t${field(record.latencyMs)}\t${field(record.ttftMs)}\t` +
    `${field(record.overheadMs)}\t${field(record.upstreamMs)}\t${field(record.backoffMs)}\t${integerField(usage?.prompt)}\t` +
    `${integerField(usage?.completion)}\t${integerField(usage?.cached)}\t${integerField(usage?.reasoning)}\t${field(record.costUsd)}\t` +
    `${field(record.cacheHit)}\t${field(record.injectedFault)}\t${jsonField(record.notes)}\n`
  );
}

/** One record as GET /admin/records returns it. */
export interface StoredRecord {
  requestId: string;
  /** ISO 8601, UTC. */
  startedAt: string;
  method: string;
  path: string;
  surface: string | null;
  /** The caller's key alias or team, once virtual keys exist; null until then. */
  caller: string | null;
  requestedClass: string | null;
  class: string | null;
  deployment: string | null;
  provider: string | null;
  model: string | null;
  stream: boolean | null;
  status: number | null;
  error: string | null;
  streamError: string | null;
  attempts: AttemptRecord[];
  failoverReasons: string[];
  latencyMs: number | null;
  ttftMs: number | null;
  overheadMs: number | null;
  upstreamMs: number | null;
  backoffMs: number | null;
  tokens: { input: number; output: number; cached: number; reasoning: number } | null;
  costUsd: number | null;
  cacheHit: boolean | null;
  injectedFault: string | null;
  notes: Record<string, string | number | boolean> | null;
}

export type RecordRow = Record<(typeof RECORD_COLUMNS)[number], unknown>;

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const bool = (value: unknown) => (value === null || value === undefined ? null : Boolean(value));
// pg parses jsonb itself; a driver that hands back text gets parsed here.
const json = <T>(value: unknown): T | null => (value === null || value === undefined ? null : typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export function storedRecordFromRow(row: RecordRow): StoredRecord {
  const startedAt = row.started_at instanceof Date ? row.started_at : new Date(String(row.started_at));
  const tokensIn = number(row.tokens_in);
  return {
    requestId: String(row.request_id),
    startedAt: startedAt.toISOString(),
    method: String(row.method),
    path: String(row.path),
    surface: text(row.surface),
    caller: text(row.caller),
    requestedClass: text(row.requested_class),
    class: text(row.class),
    deployment: text(row.deployment),
    provider: text(row.provider),
    model: text(row.model),
    stream: bool(row.stream),
    status: number(row.status),
    error: text(row.error),
    streamError: text(row.stream_error),
    attempts: json<AttemptRecord[]>(row.attempts) ?? [],
    failoverReasons: Array.isArray(row.failover_reasons) ? row.failover_reasons.map(String) : [],
    latencyMs: number(row.latency_ms),
    ttftMs: number(row.ttft_ms),
    overheadMs: number(row.overhead_ms),
    upstreamMs: number(row.upstream_ms),
    backoffMs: number(row.backoff_ms),
    tokens:
      tokensIn === null
        ? null
        : { input: tokensIn, output: number(row.tokens_out) ?? 0, cached: number(row.tokens_cached) ?? 0, reasoning: number(row.tokens_reasoning) ?? 0 },
    costUsd: number(row.cost_usd),
    cacheHit: bool(row.cache_hit),
    injectedFault: text(row.injected_fault),
    notes: json<Record<string, string | number | boolean>>(row.notes),
  };
}
