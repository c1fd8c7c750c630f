/**
 * `npm run bench:profile [-- --seconds N --connections C --stream --log-level L --dist DIR]`: the gateway under load with
 * `node --cpu-prof`, then a summary of where its CPU went (self time by function and by module). The raw
 * profile stays in bench/results/ for Chrome DevTools or speedscope.
 */
import { readdir, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HEALTHY_MODEL } from './bench-config.js';
import { chatBody } from './bench-cases.js';
import { startGateway, startMock } from './bench-servers.js';
import { renderSummary, summarizeProfile } from './cpuprofile-summary.js';
import { startLoadDriver } from './load-driver.js';
import { checkOnce } from './measure-target.js';
import { planCpus, pinProcess } from './cpu-pinning.js';
import { closedPort, installExitHandlers, stopAllChildren, stopChild } from './process-control.js';

const say = (line = '') => process.stdout.write(`${line}\n`);
const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

async function main(): Promise<void> {
  installExitHandlers();
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { seconds: { type: 'string' }, connections: { type: 'string' }, stream: { type: 'boolean', default: false }, 'log-level': { type: 'string' }, dist: { type: 'string' }, telemetry: { type: 'string' } },
  });
  const seconds = Number(values.seconds ?? 15);
  const connections = Number(values.connections ?? 50);
  const mode = values.stream ? 'stream' : 'nonstream';
  const profileDir = join(RESULTS_DIR, `cpuprofile-${Date.now()}`);
  await mkdir(profileDir, { recursive: true });

  const cpuPlan = planCpus({ enabled: true });
  const mock = await startMock();
  pinProcess(mock.pid, cpuPlan.mock);
  const gateway = await startGateway({
    upstreamPort: mock.port,
    deadPort: await closedPort(),
    logLevel: values['log-level'] ?? 'warn',
    execArgv: ['--cpu-prof', '--cpu-prof-dir', profileDir],
    dist: values.dist,
    // `records` profiles the gateway storing request records in the embedded database (its thread gets its own
    // profile); `records-server` stores them in the Postgres server at BENCH_DATABASE_URL.
    telemetry: values.telemetry as 'bare' | 'records' | 'records-server' | undefined,
  });
  pinProcess(gateway.pid, cpuPlan.servers);
  const origin = `http://127.0.0.1:${gateway.port}`;
  const request = { method: 'POST' as const, path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: chatBody({ model: HEALTHY_MODEL, mode }) };
  const problem = await checkOnce({ origin, request, stream: mode === 'stream' });
  if (problem) throw new Error(`gateway check failed: ${problem}`);

  const driver = await startLoadDriver();
  pinProcess(driver.pid, cpuPlan.load);
  say(`profiling the gateway: ${mode}, ${connections} connections, ${seconds} s`);
  const summary = await driver.run({ origin, connections, durationSeconds: seconds, requests: [request] });
  await driver.close();
  say(`${summary.requestsPerSecond.toFixed(0)} req/s under the profiler (profiling slows it down), p50 ${summary.latency.p50.toFixed(3)} ms`);
  // The profile is written when the process exits.
  await stopChild(gateway.process, 10_000);
  // One profile per thread, named CPU.<date>.<time>.<pid>.<thread>.<seq>: the main thread's is thread 0.
  const files = (await readdir(profileDir)).filter((name) => name.endsWith('.cpuprofile')).sort((a, b) => threadOf(a) - threadOf(b));
  if (files.length === 0) throw new Error(`no .cpuprofile was written to ${profileDir}`);
  const profile = JSON.parse(await readFile(join(profileDir, files[0]), 'utf8'));
  say(`\n${renderSummary(summarizeProfile(profile, 30))}`);
  say(`\nprofile: ${join(profileDir, files[0])}`);
}

function threadOf(file: string): number {
  return Number(file.split('.').at(-3) ?? 0);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`profile failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => stopAllChildren());
