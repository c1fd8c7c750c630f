/**
 * Turns measured targets into report rows: the raw figures, the latency each target adds over calling the
 * mock directly, and every figure's ratio to the floor proxy measured in the same case of the same run.
 */
import type { TargetName } from './bench-cases.js';
import type { TargetResult } from './measure-target.js';

export interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  addedP50Ms: number;
  addedP99Ms: number;
  cpuMsPerRequest: number;
  /** The event loop's share of cpuMsPerRequest; the rest is other threads (GC helpers, the embedded database). */
  loopCpuMsPerRequest: number;
  rssPeakMb: number;
  /** Without the node binary's shared pages: the memory this process itself holds. */
  rssAnonPeakMb: number;
}

export interface ReportRow {
  caseName: string;
  target: TargetName;
  label: string;
  skipped?: string;
  figures?: Figures;
  /** figure / the floor's figure, same case (undefined for the floor itself or when it is missing). */
  toFloor?: Partial<Record<keyof Figures, number>>;
  errors: number;
  /** CPU of the mock per answer, for reference. */
  upstreamCpuMsPerRequest?: number;
}

function figuresOf(result: TargetResult, direct: TargetResult | undefined): Figures | undefined {
  if (!result.load) return undefined;
  const latency = result.load.latency;
  const directLatency = direct?.load?.latency;
  return {
    requestsPerSecond: result.load.requestsPerSecond,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    addedP50Ms: directLatency ? latency.p50 - directLatency.p50 : Number.NaN,
    addedP99Ms: directLatency ? latency.p99 - directLatency.p99 : Number.NaN,
    cpuMsPerRequest: result.cpuMsPerRequest ?? Number.NaN,
    loopCpuMsPerRequest: result.loopCpuMsPerRequest ?? Number.NaN,
    rssPeakMb: result.rssPeakMb ?? Number.NaN,
    rssAnonPeakMb: result.rssAnonPeakMb ?? Number.NaN,
  };
}

function ratios(figures: Figures, floor: Figures): Partial<Record<keyof Figures, number>> {
  const out: Partial<Record<keyof Figures, number>> = {};
  for (const key of Object.keys(figures) as (keyof Figures)[]) {
    const base = floor[key];
    if (Number.isFinite(base) && base !== 0 && Number.isFinite(figures[key])) out[key] = figures[key] / base;
  }
  return out;
}

export function buildRows(results: TargetResult[]): ReportRow[] {
  const byCase = new Map<string, TargetResult[]>();
  for (const result of results) byCase.set(result.caseName, [...(byCase.get(result.caseName) ?? []), result]);
  const rows: ReportRow[] = [];
  for (const [caseName, caseResults] of byCase) {
    const direct = caseResults.find((result) => result.target === 'direct');
    const floorResult = caseResults.find((result) => result.target === 'floor');
    const floor = floorResult ? figuresOf(floorResult, direct) : undefined;
    for (const result of caseResults) {
      const figures = figuresOf(result, direct);
      rows.push({
        caseName,
        target: result.target,
        label: result.label,
        skipped: result.skipped,
        figures,
        toFloor: figures && floor && result.target !== 'floor' ? ratios(figures, floor) : undefined,
        errors: result.load ? result.load.errors + result.load.timeouts + result.load.non2xx : 0,
        upstreamCpuMsPerRequest: result.upstreamCpuMsPerRequest,
      });
    }
  }
  return rows;
}
