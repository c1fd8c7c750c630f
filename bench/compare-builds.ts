/**
 * `npm run bench:compare -- [--candidate DIR] [--base DIR] [--candidate-node-args="..."] [--cases a,b]
 * [--rounds N] [--seconds S]`: A/B of two builds of the gateway (two `dist/` folders; both default to this
 * checkout's), or of one build under other node flags (`--candidate-node-args="--max-semi-space-size=8"`; the
 * `=` form, because the value starts with a dash). On a small or shared machine one run of each is mostly
 * noise, so the two alternate, round by round, in the same conditions, and the medians are compared. CPU ms
 * per request is the steadier figure; req/s moves with everything else running.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allCases, gatewayTarget, selectCases, type Target } from './bench-cases.js';
import { startGateway, startMock } from './bench-servers.js';
import { startLoadDriver } from './load-driver.js';
import { measureTarget, type TargetResult } from './measure-target.js';
import { planCpus, pinProcess } from './cpu-pinning.js';
import { pinPostgresServer } from './postgres-pinning.js';
import { closedPort, installExitHandlers, stopAllChildren } from './process-control.js';

function requiredDatabaseUrl(): string {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('records-server needs BENCH_DATABASE_URL');
  return url;
}
import { formatTable } from './report-table.js';

const say = (line = '') => process.stdout.write(`${line}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  installExitHandlers();
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      base: { type: 'string' },
      candidate: { type: 'string' },
      cases: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      'log-level': { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      'candidate-node-args': { type: 'string' },
      'base-telemetry': { type: 'string' },
      'candidate-telemetry': { type: 'string' },
    },
  });
  const here = fileURLToPath(new URL('../../dist/', import.meta.url));
  const candidateArgs = values['candidate-node-args']?.split(' ').filter(Boolean) ?? [];
  const telemetryOf = (value: string | undefined) => {
    if (value === undefined) return undefined;
    if (value === 'bare' || value === 'records' || value === 'records-server') return value;
    throw new Error(`unknown telemetry mode ${value}: bare, records or records-server`);
  };
  const baseTelemetry = telemetryOf(values['base-telemetry']);
  const candidateTelemetry = telemetryOf(values['candidate-telemetry']);
  if (!values.candidate && candidateArgs.length === 0 && baseTelemetry === candidateTelemetry) {
    throw new Error('give --candidate DIR (a built dist/ folder), --candidate-node-args, or different --base-telemetry/--candidate-telemetry');
  }
  const base = resolve(values.base ?? here);
  const candidate = resolve(values.candidate ?? here);
  const rounds = Number(values.rounds ?? 6);
  const seconds = Number(values.seconds ?? 5);
  const logLevel = values['log-level'] ?? 'warn';
  const cases = selectCases(allCases(), values.cases?.split(',') ?? ['nonstream-c50-healthy', 'stream-c50-healthy']);

  const cpuPlan = planCpus({ enabled: values['no-pin'] !== true });
  const mock = await startMock();
  pinProcess(mock.pid, cpuPlan.mock);
  const deadPort = await closedPort();
  if (baseTelemetry === 'records-server' || candidateTelemetry === 'records-server') await pinPostgresServer(requiredDatabaseUrl(), cpuPlan.database);
  const baseServer = await startGateway({ upstreamPort: mock.port, deadPort, logLevel, dist: base, telemetry: baseTelemetry });
  const candidateServer = await startGateway({ upstreamPort: mock.port, deadPort, logLevel, dist: candidate, execArgv: candidateArgs, telemetry: candidateTelemetry });
  pinProcess(baseServer.pid, cpuPlan.servers);
  pinProcess(candidateServer.pid, cpuPlan.servers);
  const targets: Target[] = [
    gatewayTarget({ name: 'gateway', label: 'base', port: baseServer.port, pid: baseServer.pid }),
    gatewayTarget({ name: 'candidate', label: 'candidate', port: candidateServer.port, pid: candidateServer.pid }),
  ];
  const driver = await startLoadDriver();
  pinProcess(driver.pid, cpuPlan.load);
  say(`base ${base} ${baseTelemetry ?? ''}\ncandidate ${candidate} ${candidateArgs.join(' ')} ${candidateTelemetry ?? ''}\n${rounds} rounds x ${seconds} s per build per case, alternating, log level ${logLevel}`);
  say(`CPU placement: ${cpuPlan.description}\n`);

  const rows: string[][] = [];
  try {
    for (const benchCase of cases) {
      const results = new Map<string, TargetResult[]>(targets.map((target) => [target.label, []]));
      for (let round = 0; round < rounds; round++) {
        // Alternate which build goes first, so neither always runs on a warmer or cooler machine.
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const result = await measureTarget({ driver, target, benchCase, durationSeconds: seconds, warmupSeconds: 1, upstreamPid: mock.pid });
          if (result.skipped) throw new Error(`${target.label}: ${result.skipped}`);
          results.get(target.label)!.push(result);
          say(`  ${benchCase.name} round ${round + 1} ${target.label.padEnd(9)} ${result.load!.requestsPerSecond.toFixed(0)} req/s  ${result.cpuMsPerRequest!.toFixed(4)} CPU ms/req`);
        }
      }
      const summary = (label: string) => {
        const list = results.get(label)!;
        return {
          rps: median(list.map((result) => result.load!.requestsPerSecond)),
          cpu: median(list.map((result) => result.cpuMsPerRequest!)),
          p50: median(list.map((result) => result.load!.latency.p50)),
          p99: median(list.map((result) => result.load!.latency.p99)),
          rss: median(list.map((result) => result.rssPeakMb!)),
        };
      };
      const before = summary('base');
      const after = summary('candidate');
      const change = (from: number, to: number) => `${(((to - from) / from) * 100).toFixed(1)}%`;
      rows.push([
        benchCase.name,
        before.rps.toFixed(0),
        after.rps.toFixed(0),
        change(before.rps, after.rps),
        before.cpu.toFixed(4),
        after.cpu.toFixed(4),
        change(before.cpu, after.cpu),
        before.p50.toFixed(3),
        after.p50.toFixed(3),
        before.p99.toFixed(3),
        after.p99.toFixed(3),
        before.rss.toFixed(0),
        after.rss.toFixed(0),
      ]);
    }
  } finally {
    await driver.close();
  }
  say('\nMedians over the rounds\n');
  say(
    formatTable({
      header: ['case', 'base req/s', 'cand req/s', 'change', 'base CPU ms/req', 'cand CPU ms/req', 'change', 'base p50 ms', 'cand p50 ms', 'base p99 ms', 'cand p99 ms', 'base RSS MB', 'cand RSS MB'],
      rows,
      textColumns: 1,
    }),
  );
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`compare failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => stopAllChildren());
