/**
 * Measures one target in one case: a single checked request first (a broken target is reported, not
 * benchmarked), a warm-up run (JIT, keep-alive pools, and on the failover path the breaker opening), then
 * the measured run with /proc read before and after and RSS polled throughout.
 */
import { request } from 'undici';
import type { BenchCase, Target, TargetName } from './bench-cases.js';
import type { LoadDriver } from './load-driver.js';
import type { LoadRequest, LoadSummary } from './load-protocol.js';
import { readProcessStats, sampleRss } from './proc-stats.js';

export interface TargetResult {
  caseName: string;
  target: TargetName;
  label: string;
  /** Set when the target could not be measured. */
  skipped?: string;
  load?: LoadSummary;
  /** CPU of the target's own process per 2xx answer. */
  cpuMsPerRequest?: number;
  /** CPU of the main thread (the event loop) alone per answer. */
  loopCpuMsPerRequest?: number;
  /** CPU of the mock upstream per 2xx answer (the same work for every target; a sanity check). */
  upstreamCpuMsPerRequest?: number;
  rssBeforeMb?: number;
  rssPeakMb?: number;
  /** Peak of the process's own (anonymous) memory, without the node binary's shared pages. */
  rssAnonPeakMb?: number;
  rssAfterMb?: number;
}

export interface MeasureOptions {
  driver: LoadDriver;
  target: Target;
  benchCase: BenchCase;
  durationSeconds: number;
  warmupSeconds: number;
  upstreamPid: number;
}

const MB = 1024 * 1024;

/** One request, checked like a client would: 200 and a complete answer. Returns a problem, or undefined. */
export async function checkOnce(options: { origin: string; request: LoadRequest; stream: boolean }): Promise<string | undefined> {
  try {
    const response = await request(`${options.origin}${options.request.path}`, {
      method: options.request.method,
      headers: options.request.headers,
      body: options.request.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
    const complete = options.stream ? text.endsWith('data: [DONE]\n\n') && text.includes('"finish_reason":"stop"') : text.includes('"chat.completion"');
    return complete ? undefined : `incomplete answer: ${text.slice(0, 300)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function measureTarget(options: MeasureOptions): Promise<TargetResult> {
  const { target, benchCase } = options;
  const base = { caseName: benchCase.name, target: target.name, label: target.label };
  const loadRequest = target.request(benchCase);
  const problem = await checkOnce({ origin: target.origin, request: loadRequest, stream: benchCase.mode === 'stream' });
  if (problem) return { ...base, skipped: problem };

  const load = { origin: target.origin, connections: benchCase.connections, requests: [loadRequest] };
  if (options.warmupSeconds > 0) await options.driver.run({ ...load, durationSeconds: options.warmupSeconds });

  const before = readProcessStats(target.pid);
  const upstreamBefore = readProcessStats(options.upstreamPid);
  const sampler = sampleRss([target.pid]);
  const summary = await options.driver.run({ ...load, durationSeconds: options.durationSeconds });
  const peak = sampler.stop().get(target.pid);
  const after = readProcessStats(target.pid);
  const upstreamAfter = readProcessStats(options.upstreamPid);
  const answered = Math.max(1, summary.ok);
  return {
    ...base,
    load: summary,
    cpuMsPerRequest: (after.cpuMs - before.cpuMs) / answered,
    loopCpuMsPerRequest: (after.mainThreadCpuMs - before.mainThreadCpuMs) / answered,
    upstreamCpuMsPerRequest: (upstreamAfter.cpuMs - upstreamBefore.cpuMs) / answered,
    rssBeforeMb: before.rssBytes / MB,
    rssPeakMb: (peak?.rssBytes ?? 0) / MB,
    rssAnonPeakMb: (peak?.rssAnonBytes ?? 0) / MB,
    rssAfterMb: after.rssBytes / MB,
  };
}
