/**
 * CPU pinning for the bench's processes (Linux `taskset`). With few cores, where the scheduler happens to put
 * the load generator, the mock and the server under test moves results by 20% from one process to the next
 * (an A/A comparison of two identical gateways showed it). Pinned, the server under test has a core of its
 * own and the load generator and the mock share the rest, so runs compare.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface CpuPlan {
  /** Core lists in taskset's syntax, e.g. "0" or "2-3"; undefined = no pinning. */
  load?: string;
  mock?: string;
  /** Every server under test; only one carries load at a time. */
  servers?: string;
  /** A Postgres server the gateway writes records to: a database on another machine, so off the servers' cores. */
  database?: string;
  description: string;
}

let tasksetWorks: boolean | undefined;

function hasTaskset(): boolean {
  if (tasksetWorks === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetWorks = true;
    } catch {
      tasksetWorks = false;
    }
  }
  return tasksetWorks;
}

export function planCpus(options: { enabled: boolean }): CpuPlan {
  const count = cpus().length;
  if (!options.enabled) return { description: 'not pinned (--no-pin)' };
  if (process.platform !== 'linux' || !hasTaskset()) return { description: 'not pinned (taskset unavailable)' };
  if (count < 2) return { description: 'not pinned (1 CPU)' };
  if (count === 2) return { load: '0', mock: '0', servers: '1', database: '0', description: 'load generator + mock on CPU 0, server under test on CPU 1' };
  if (count === 3) return { load: '0', mock: '1', servers: '2', database: '1', description: 'load generator on CPU 0, mock on CPU 1, server under test on CPU 2' };
  // A single autocannon process saturates about one core; the server under test gets two, like a small VM.
  const last = count - 1;
  return {
    load: '0',
    mock: '1',
    servers: `2-${Math.min(3, last)}`,
    database: last >= 4 ? `4-${last}` : '1',
    description: `load generator on CPU 0, mock on CPU 1, server under test on CPUs 2-${Math.min(3, last)}`,
  };
}

/** Pins every thread of a running process; threads it starts later inherit the mask. */
export function pinProcess(pid: number, cpuList: string | undefined): void {
  if (!cpuList) return;
  execFileSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { stdio: 'ignore' });
}
