/**
 * Where request records are kept: one interface over the embedded database and a Postgres server. Writes come
 * in batches from the batch writer, never from the request path; reads serve the admin API and alerts.
 */
import type { RequestRecord } from '../telemetry/request-record.js';
import type { SpoolPosition } from './record-spool.js';
import type { StoredRecord } from './record-row.js';

export type { StoredRecord };

export type StatusFilter = { equals: number } | 'ok' | 'error';

export interface RecordFilter {
  /** At most this many, newest first. */
  limit: number;
  className?: string;
  provider?: string;
  status?: StatusFilter;
  /** Epoch milliseconds: only records that started at or after it. */
  since?: number;
  /** Only requests with at least one failed attempt (the dashboard's recent failovers). */
  failedOver?: boolean;
}

export const STATS_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;

export interface TrafficStats {
  requests: number;
  /** Requests the gateway could not answer: status >= 500 or 429, or a stream that broke after its first byte. */
  errors: number;
  /** Requests with at least one failed attempt (answered or not). */
  failovers: number;
  /** failovers / requests, 0 when there were none. */
  failoverRate: number;
  p95LatencyMs: number | null;
  p95TtftMs: number | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

export interface ProviderAttemptStats {
  provider: string;
  /** Attempts, not counting those that failed for the client's own fault (bad request, context window, content policy). */
  attempts: number;
  failedAttempts: number;
  /** failedAttempts / attempts. */
  failoverRate: number;
  /** Failure categories of the failed attempts, most frequent first. */
  reasons: { category: string; count: number }[];
}

export interface RecordStats {
  window: StatsWindow;
  /** ISO 8601 bounds of the window. */
  since: string;
  until: string;
  totals: TrafficStats;
  /** One row per (class, provider); `class` is the answering class, else the requested one; `provider` null when none answered. */
  byClassProvider: (TrafficStats & { class: string | null; provider: string | null })[];
  /**
   * Failed share of each provider's upstream attempts in the window: what failover looks like from the provider's
   * side (a request's own `provider` is the one that answered, so it cannot say who failed).
   */
  byProvider: ProviderAttemptStats[];
  /** `byClass`: per answering class (else the requested one), today (UTC day) and over the 7 x 24 hours before now. */
  cost: { todayUsd: number; last7DaysUsd: number; byClass: { class: string; todayUsd: number; last7DaysUsd: number }[] };
  series: {
    bucketSeconds: number;
    points: { at: string; requests: number; errors: number; failovers: number }[];
    /** Each provider's attempts and failed attempts per bucket, index-aligned with `points` (counted as in `byProvider`). */
    providers: { provider: string; attempts: number[]; failedAttempts: number[] }[];
  };
}

/** Whole lines of COPY text read from a spool segment, bytes [from, to). */
export interface SpooledChunk {
  spoolId: string;
  segment: number;
  from: number;
  to: number;
  text: string;
}

export interface RecordStore {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Stores records directly (tools and tests; the gateway goes through the spool). A record the database refuses
   * as data (say, a value out of range) is left out and counted in `rejected` instead of failing the rest.
   */
  insert(records: readonly RequestRecord[]): Promise<{ rejected: number }>;
  /** Where a spool's records are stored up to; undefined for a spool never seen. */
  spoolPosition(spoolId: string): Promise<SpoolPosition | undefined>;
  /**
   * Stores a spool chunk and, in the same transaction, its end as the spool's position. Rejected lines are
   * left out as in `insert`, each step still moving the position with the rows it stored.
   */
  storeSpooled(chunk: SpooledChunk): Promise<{ stored: number; rejected: number }>;
  /** Moves a spool's position without storing anything (past a finished segment). */
  moveSpoolPosition(spoolId: string, position: SpoolPosition): Promise<void>;
  /** Deletes records that started before `cutoff` (epoch ms); returns how many. */
  deleteOlderThan(cutoff: number): Promise<number>;
  list(filter: RecordFilter): Promise<StoredRecord[]>;
  stats(options: { window: StatsWindow; now: number }): Promise<RecordStats>;
  /** Cost per UTC day (`YYYY-MM-DD`) of records started in [since, until), for the daily-cost alert after a restart. */
  dailyCosts(options: { since: number; until?: number }): Promise<{ day: string; costUsd: number }[]>;
  close(): Promise<void>;
}

/** What the admin API may do: read. */
export type RecordQueries = Pick<RecordStore, 'list' | 'stats'>;
