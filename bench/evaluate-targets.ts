/**
 * The performance targets, checked against this run's rows. They are reported, never asserted: a
 * MISS is information for whoever reads the table, not a failed command.
 */
import type { TargetName } from './bench-cases.js';
import type { ReportRow } from './report-rows.js';

export interface Verdict {
  goal: string;
  subject: TargetName;
  /** undefined when the cases it needs were not run. */
  pass?: boolean;
  measured?: string;
}

interface Goal {
  goal: string;
  measure(rows: ReportRow[], subject: TargetName): { value: number; shown: string } | undefined;
  pass(value: number): boolean;
}

const rowOf = (rows: ReportRow[], caseName: string, subject: TargetName) =>
  rows.find((row) => row.caseName === caseName && row.target === subject && row.figures);

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;

function floorRatio(caseName: string): Goal['measure'] {
  return (rows, subject) => {
    const ratio = rowOf(rows, caseName, subject)?.toFloor?.requestsPerSecond;
    return ratio === undefined ? undefined : { value: ratio, shown: `${percent(ratio)} of floor` };
  };
}

function addedLatency(caseName: string, key: 'addedP50Ms' | 'addedP99Ms'): Goal['measure'] {
  return (rows, subject) => {
    const value = rowOf(rows, caseName, subject)?.figures?.[key];
    return value === undefined || Number.isNaN(value) ? undefined : { value, shown: `+${value.toFixed(3)} ms` };
  };
}

function failoverRatio(mode: 'nonstream' | 'stream'): Goal['measure'] {
  return (rows, subject) => {
    const healthy = rowOf(rows, `${mode}-c50-healthy`, subject)?.figures?.requestsPerSecond;
    const failover = rowOf(rows, `${mode}-c50-failover`, subject)?.figures?.requestsPerSecond;
    if (!healthy || failover === undefined) return undefined;
    return { value: failover / healthy, shown: `${percent(failover / healthy)} of healthy` };
  };
}

/** Records (embedded, or in a Postgres server) and metrics on, against a gateway with both off, in the same case. */
function recordsCost(caseName: string): Goal['measure'] {
  return (rows, subject) => {
    if (subject !== 'gateway-records' && subject !== 'gateway-records-server') return undefined;
    const on = rowOf(rows, caseName, subject)?.figures?.requestsPerSecond;
    const off = rowOf(rows, caseName, 'gateway-bare')?.figures?.requestsPerSecond;
    if (!on || !off) return undefined;
    return { value: on / off, shown: `${percent(on / off)} of off` };
  };
}

const GOALS: Goal[] = [
  { goal: 'non-stream @50 conn: req/s >= 60% of floor', measure: floorRatio('nonstream-c50-healthy'), pass: (value) => value >= 0.6 },
  { goal: 'stream @50 conn: req/s >= 50% of floor', measure: floorRatio('stream-c50-healthy'), pass: (value) => value >= 0.5 },
  { goal: 'added latency @1 conn, non-stream: p50 <= 0.15 ms', measure: addedLatency('nonstream-c1-healthy', 'addedP50Ms'), pass: (value) => value <= 0.15 },
  { goal: 'added latency @1 conn, non-stream: p99 <= 1 ms', measure: addedLatency('nonstream-c1-healthy', 'addedP99Ms'), pass: (value) => value <= 1 },
  { goal: 'added latency @1 conn, stream: p50 <= 0.15 ms', measure: addedLatency('stream-c1-healthy', 'addedP50Ms'), pass: (value) => value <= 0.15 },
  { goal: 'added latency @1 conn, stream: p99 <= 1 ms', measure: addedLatency('stream-c1-healthy', 'addedP99Ms'), pass: (value) => value <= 1 },
  { goal: 'failover (breaker open), non-stream @50: >= 95% of healthy', measure: failoverRatio('nonstream'), pass: (value) => value >= 0.95 },
  { goal: 'failover (breaker open), stream @50: >= 95% of healthy', measure: failoverRatio('stream'), pass: (value) => value >= 0.95 },
  { goal: 'records+metrics on, non-stream @50: >= 90% of off', measure: recordsCost('nonstream-c50-healthy'), pass: (value) => value >= 0.9 },
  { goal: 'records+metrics on, stream @50: >= 90% of off', measure: recordsCost('stream-c50-healthy'), pass: (value) => value >= 0.9 },
  {
    goal: 'RSS under load <= 150 MB (peak over all cases)',
    measure: (rows, subject) => {
      const peaks = rows.filter((row) => row.target === subject && row.figures).map((row) => row.figures!.rssPeakMb);
      if (peaks.length === 0) return undefined;
      const peak = Math.max(...peaks);
      return { value: peak, shown: `${peak.toFixed(1)} MB` };
    },
    pass: (value) => value <= 150,
  },
];

export function evaluateTargets(rows: ReportRow[], subjects: TargetName[]): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const goal of GOALS) {
    for (const subject of subjects) {
      const measured = goal.measure(rows, subject);
      verdicts.push({ goal: goal.goal, subject, pass: measured ? goal.pass(measured.value) : undefined, measured: measured?.shown });
    }
  }
  return verdicts;
}
