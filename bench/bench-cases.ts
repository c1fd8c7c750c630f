/**
 * The case matrix (streaming or not, 1 or 50 connections, healthy or failover path) and the targets measured
 * in each case: the mock itself, the floor proxy, the gateway at two log levels, and when asked for, another
 * build of the gateway (`--candidate`) and Portkey.
 */
import { FAILOVER_MODEL, HEALTHY_MODEL } from './bench-config.js';
import type { LoadRequest } from './load-protocol.js';

export type Mode = 'nonstream' | 'stream';
export type PathKind = 'healthy' | 'failover';

export interface BenchCase {
  name: string;
  mode: Mode;
  connections: number;
  path: PathKind;
}

export function allCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const mode of ['nonstream', 'stream'] as const) {
    for (const connections of [1, 50]) {
      for (const path of ['healthy', 'failover'] as const) cases.push({ name: `${mode}-c${connections}-${path}`, mode, connections, path });
    }
  }
  return cases;
}

/**
 * `--cases a,b`: a case runs when any word matches whole dash-separated parts of its name, so `stream-c50`
 * runs both paths of streaming at 50 connections (and not `nonstream-c50-*`), and `failover` every failover case.
 */
export function selectCases(cases: BenchCase[], filter: string[] | undefined): BenchCase[] {
  if (!filter || filter.length === 0) return cases;
  return cases.filter((benchCase) => filter.some((word) => `-${benchCase.name}-`.includes(`-${word}-`)));
}

export type TargetName = 'direct' | 'floor' | 'gateway' | 'gateway-info' | 'gateway-bare' | 'gateway-records' | 'gateway-records-server' | 'candidate' | 'portkey';

export interface Target {
  name: TargetName;
  /** Shown in the table. */
  label: string;
  origin: string;
  /** The process whose CPU and RSS are charged to this target. */
  pid: number;
  request(benchCase: BenchCase): LoadRequest;
}

export function chatBody(options: { model: string; mode: Mode }): string {
  const body: Record<string, unknown> = { model: options.model, messages: [{ role: 'user', content: 'Say hello.' }] };
  // Usage is asked for on every path, so the mock sends the same bytes whoever calls it (the gateway always asks).
  if (options.mode === 'stream') Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return JSON.stringify(body);
}

const JSON_HEADERS = { 'content-type': 'application/json', authorization: 'Bearer bench-key' };
const CHAT_PATH = '/v1/chat/completions';

/** The mock and the floor proxy have no failover: both paths are the same request to them. */
export function plainTarget(options: { name: 'direct' | 'floor'; label: string; port: number; pid: number }): Target {
  return {
    name: options.name,
    label: options.label,
    origin: `http://127.0.0.1:${options.port}`,
    pid: options.pid,
    request: (benchCase) => ({ method: 'POST', path: CHAT_PATH, headers: JSON_HEADERS, body: chatBody({ model: 'mock', mode: benchCase.mode }) }),
  };
}

export function gatewayTarget(options: {
  name: 'gateway' | 'gateway-info' | 'gateway-bare' | 'gateway-records' | 'gateway-records-server' | 'candidate';
  label: string;
  port: number;
  pid: number;
}): Target {
  return {
    name: options.name,
    label: options.label,
    origin: `http://127.0.0.1:${options.port}`,
    pid: options.pid,
    request: (benchCase) => ({
      method: 'POST',
      path: CHAT_PATH,
      headers: JSON_HEADERS,
      body: chatBody({ model: benchCase.path === 'failover' ? FAILOVER_MODEL : HEALTHY_MODEL, mode: benchCase.mode }),
    }),
  };
}

/**
 * Portkey's OSS gateway routes by headers: the provider, and a custom host for an OpenAI-compatible server.
 * Its failover is a `fallback` config whose first target is the dead port; it has no breaker, so every request
 * tries the dead target first.
 */
export function portkeyTarget(options: { port: number; pid: number; upstreamPort: number; deadPort: number }): Target {
  const host = (port: number) => `http://127.0.0.1:${port}/v1`;
  const fallbackConfig = JSON.stringify({
    strategy: { mode: 'fallback' },
    targets: [
      { provider: 'openai', api_key: 'bench-key', custom_host: host(options.deadPort) },
      { provider: 'openai', api_key: 'bench-key', custom_host: host(options.upstreamPort) },
    ],
  });
  return {
    name: 'portkey',
    label: 'portkey',
    origin: `http://127.0.0.1:${options.port}`,
    pid: options.pid,
    request: (benchCase) => ({
      method: 'POST',
      path: CHAT_PATH,
      headers:
        benchCase.path === 'failover'
          ? { ...JSON_HEADERS, 'x-portkey-config': fallbackConfig }
          : { ...JSON_HEADERS, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': host(options.upstreamPort) },
      body: chatBody({ model: HEALTHY_MODEL, mode: benchCase.mode }),
    }),
  };
}
