/** Starting the servers under test, each in its own process: the mock, the floor proxy and the gateway. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchConfigYaml } from './bench-config.js';
import { startChild, type ChildServer } from './process-control.js';

const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

export function startMock(): Promise<ChildServer> {
  return startChild({ name: 'mock upstream', script: script('mock-upstream.js') });
}

export function startFloor(options: { upstreamPort: number }): Promise<ChildServer> {
  return startChild({ name: 'floor proxy', script: script('floor-proxy.js'), env: { BENCH_UPSTREAM: `http://127.0.0.1:${options.upstreamPort}` } });
}

export function startGateway(options: {
  upstreamPort: number;
  deadPort: number;
  logLevel: string;
  execArgv?: string[];
  dist?: string;
  telemetry?: 'bare' | 'records' | 'records-server';
}): Promise<ChildServer> {
  return startChild({
    name: `gateway (log level ${options.logLevel}${options.telemetry ? `, ${options.telemetry}` : ''}${options.dist ? `, build ${options.dist}` : ''})`,
    script: script('gateway-server.js'),
    execArgv: options.execArgv,
    env: {
      BENCH_GATEWAY_CONFIG: benchConfigYaml({ upstreamPort: options.upstreamPort, deadPort: options.deadPort }),
      BENCH_LOG_LEVEL: options.logLevel,
      ...(options.telemetry ? { BENCH_TELEMETRY: options.telemetry } : {}),
      ...(process.env.BENCH_DATABASE_URL ? { BENCH_DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      ...(options.dist ? { BENCH_GATEWAY_DIST: resolve(options.dist) } : {}),
    },
  });
}
