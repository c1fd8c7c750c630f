/**
 * `npm run bench`: the mock upstream, the floor proxy and the gateway (at log levels warn and info), each in
 * its own process, driven by autocannon from a separate process, case by case; optionally Portkey's gateway
 * too. Prints the figures with their ratio to the floor of the same run and the PASS/MISS of each target,
 * and writes bench/results/latest.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './bench-args.js';
import { allCases, gatewayTarget, plainTarget, portkeyTarget, selectCases, type Target, type TargetName } from './bench-cases.js';
import { startFloor, startGateway, startMock } from './bench-servers.js';
import { measureRecordsBacklog, type RecordsBacklog } from './records-backlog.js';
import { evaluateTargets } from './evaluate-targets.js';
import { startLoadDriver } from './load-driver.js';
import { measureTarget, type TargetResult } from './measure-target.js';
import { installPortkey, removePortkey, startPortkey, type PortkeyInstall } from './portkey-installer.js';
import { planCpus, pinProcess } from './cpu-pinning.js';
import { pinPostgresServer } from './postgres-pinning.js';
import { closedPort, installExitHandlers, stopAllChildren } from './process-control.js';
import { buildRows } from './report-rows.js';
import { renderResults, renderVerdicts } from './report-table.js';

const say = (line = '') => process.stdout.write(`${line}\n`);
const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));
let portkeyInstall: PortkeyInstall | undefined;

async function main(): Promise<void> {
  installExitHandlers();
  const args = parseBenchArgs(process.argv.slice(2));
  const cases = selectCases(allCases(), args.cases);
  if (cases.length === 0) throw new Error(`--cases ${args.cases?.join(',')} matches no case; cases are: ${allCases().map((benchCase) => benchCase.name).join(', ')}`);
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, memoryMb: Math.round(totalmem() / 2 ** 20), node: process.version, platform: process.platform };
  say(`Switchyard bench: ${cases.length} cases, ${args.durationSeconds} s each (+${args.warmupSeconds} s warm-up) per target`);
  say(`machine: ${machine.cpus} x ${machine.cpu}, ${machine.memoryMb} MB, node ${machine.node}`);
  const notes: string[] = [];
  const cpuPlan = planCpus({ enabled: args.pin });
  say(`CPU placement: ${cpuPlan.description}`);
  if (machine.cpus < 4) say(`note: only ${machine.cpus} CPUs, so absolute req/s is low and noisy; compare the ratios and CPU ms/req.`);
  const mock = await startMock();
  pinProcess(mock.pid, cpuPlan.mock);
  const deadPort = await closedPort();
  const floor = await startFloor({ upstreamPort: mock.port });
  pinProcess(floor.pid, cpuPlan.servers);
  const wanted = (name: TargetName) => !args.targets || args.targets.includes(name);
  const targets: Target[] = [
    plainTarget({ name: 'direct', label: 'direct (mock)', port: mock.port, pid: mock.pid }),
    plainTarget({ name: 'floor', label: 'floor proxy', port: floor.port, pid: floor.pid }),
  ];
  if (wanted('gateway')) {
    const gateway = await startGateway({ upstreamPort: mock.port, deadPort, logLevel: 'warn' });
    pinProcess(gateway.pid, cpuPlan.servers);
    targets.push(gatewayTarget({ name: 'gateway', label: 'gateway (warn)', port: gateway.port, pid: gateway.pid }));
  }
  if (wanted('gateway-info')) {
    const gatewayInfo = await startGateway({ upstreamPort: mock.port, deadPort, logLevel: 'info' });
    pinProcess(gatewayInfo.pid, cpuPlan.servers);
    targets.push(gatewayTarget({ name: 'gateway-info', label: 'gateway (info)', port: gatewayInfo.port, pid: gatewayInfo.pid }));
  }
  // Records and metrics on against both off, for the "records and metrics cost <= 10%" target. The embedded
  // database's thread stays on the server's core(s): it is part of the gateway process. A Postgres server
  // (BENCH_DATABASE_URL) stands for a database on another machine, so it is moved off the server's core.
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (databaseUrl && wanted('gateway-records-server')) {
    await pinPostgresServer(databaseUrl, cpuPlan.database);
    // The note names no URL: it may carry a password, and the report is written to disk.
    notes.push(`records-server: a Postgres server at BENCH_DATABASE_URL, pinned to CPU ${cpuPlan.database ?? '(not pinned)'} when local`);
  }
  for (const [name, telemetry, label] of [
    ['gateway-bare', 'bare', 'gateway (no metrics)'],
    ['gateway-records', 'records', 'gateway (records+metrics)'],
    ['gateway-records-server', 'records-server', 'gateway (records in server+metrics)'],
  ] as const) {
    if (!wanted(name) || (telemetry === 'records-server' && !databaseUrl)) continue;
    const server = await startGateway({ upstreamPort: mock.port, deadPort, logLevel: 'warn', telemetry });
    pinProcess(server.pid, cpuPlan.servers);
    targets.push(gatewayTarget({ name, label, port: server.port, pid: server.pid }));
  }
  if (args.candidateDist) {
    const candidate = await startGateway({ upstreamPort: mock.port, deadPort, logLevel: 'warn', dist: args.candidateDist });
    pinProcess(candidate.pid, cpuPlan.servers);
    targets.push(gatewayTarget({ name: 'candidate', label: 'candidate (warn)', port: candidate.port, pid: candidate.pid }));
    notes.push(`candidate build: ${args.candidateDist}`);
  }

  if (args.vsPortkey && wanted('portkey')) {
    try {
      say('installing Portkey gateway into a temporary folder ...');
      portkeyInstall = await installPortkey();
      const portkey = await startPortkey(portkeyInstall);
      pinProcess(portkey.pid, cpuPlan.servers);
      targets.push(portkeyTarget({ port: portkey.port, pid: portkey.pid, upstreamPort: mock.port, deadPort }));
      say(`Portkey ${portkeyInstall.version} listening on 127.0.0.1:${portkey.port}`);
      notes.push(`portkey ${portkeyInstall.version} with @hono/node-server 1.13.5`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      say(`Portkey is NOT measured in this run: ${reason}`);
      notes.push(`portkey not measured: ${reason}`);
    }
  }

  const driver = await startLoadDriver();
  pinProcess(driver.pid, cpuPlan.load);
  const total = cases.length * targets.length;
  const minutes = (total * (args.durationSeconds + args.warmupSeconds) + targets.length * args.primeSeconds) / 60;
  say(`about ${minutes.toFixed(1)} minutes of load\n`);
  // A gateway in production runs hot. Without this, whichever case comes first measures JIT warm-up and heap
  // growth (its p99 came out several times that of the same case later in the run).
  say(`priming every target with ${args.primeSeconds} s of mixed load ...`);
  for (const target of targets) {
    const requests = cases.map((benchCase) => target.request(benchCase));
    await driver.run({ origin: target.origin, connections: 50, durationSeconds: args.primeSeconds, requests });
  }
  say('');
  const results: TargetResult[] = [];
  try {
    for (const benchCase of cases) {
      for (const target of targets) {
        process.stdout.write(`[${results.length + 1}/${total}] ${benchCase.name.padEnd(22)} ${target.label.padEnd(15)} `);
        const result = await measureTarget({
          driver,
          target,
          benchCase,
          durationSeconds: args.durationSeconds,
          warmupSeconds: args.warmupSeconds,
          upstreamPid: mock.pid,
        });
        results.push(result);
        say(result.load ? `${result.load.requestsPerSecond.toFixed(0)} req/s, p50 ${result.load.latency.p50.toFixed(3)} ms` : `skipped: ${result.skipped}`);
      }
    }
  } finally {
    await driver.close();
  }
  // After the last case: what the records targets left waiting, and how long storing it took.
  const backlogs: Record<string, RecordsBacklog> = {};
  for (const target of targets.filter((candidate) => candidate.name === 'gateway-records' || candidate.name === 'gateway-records-server')) {
    const backlog = await measureRecordsBacklog({ origin: target.origin, maxWaitSeconds: 120 });
    backlogs[target.name] = backlog;
    notes.push(
      `${target.label}: ${backlog.waiting} records waiting after the load (${(backlog.spoolBytes / 1e6).toFixed(1)} MB in the spool), ` +
        `${backlog.storedAfterSeconds !== undefined ? `all stored ${backlog.storedAfterSeconds} s later` : 'still waiting after 120 s'}, ${backlog.dropped} dropped`,
    );
  }

  const rows = buildRows(results);
  const subjects = targets.map((target) => target.name).filter((name) => name !== 'direct' && name !== 'floor');
  const labels = Object.fromEntries(targets.map((target) => [target.name, target.label]));
  const verdicts = evaluateTargets(rows, subjects);
  say('\nResults (x = ratio to the floor proxy in the same case; +p50/+p99 = added over calling the mock directly;');
  say('CPU = the target process only; loop CPU = its main thread (the event loop) alone; RSS = peak VmRSS during the case; anon = peak RssAnon, i.e. without the node binary)\n');
  say(renderResults(rows));
  say('\nTargets (reported, not asserted)\n');
  say(renderVerdicts(verdicts, subjects, labels));

  await mkdir(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}latest.json`;
  for (const note of notes) say(note);
  const report = { generatedAt: new Date().toISOString(), machine, cpuPlacement: cpuPlan.description, options: args, notes, rows, verdicts, backlogs, results };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  say(`\nwrote ${file}`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAllChildren();
    if (portkeyInstall) await removePortkey(portkeyInstall);
  });
