/**
 * `switchyard serve` as a real process, told to stop with SIGTERM while requests are still arriving: every
 * request it answered has its record in the embedded database afterwards, none twice. The gateway is built
 * into test-artifacts/ first (tsc, as `npm run build` does), because a child process cannot run TypeScript.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDatabase } from '../../src/records/pglite-database.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let work: string;
let simulator: Simulator;
let gateway: ChildProcess | undefined;

beforeAll(async () => {
  // Inside the project, so the build resolves the project's node_modules.
  await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
  work = await mkdtemp(join(ROOT, 'test-artifacts', 'sigterm-'));
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(work, 'dist')], { timeout: 120_000 });
  await cp(join(ROOT, 'src/dashboard/static'), join(work, 'dist/dashboard/static'), { recursive: true });
  simulator = await startSimulator({ format: 'openai', name: 'primary', latencyMs: 5 });
}, 180_000);

afterAll(async () => {
  gateway?.kill('SIGKILL');
  await simulator?.close();
  await rm(work, { recursive: true, force: true });
});

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (part: Buffer) => {
      text += part.toString();
      const match = /Switchyard listening on (http:\/\/[\d.:]+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${text}`)));
  });
}

describe('serve, stopped with SIGTERM under load', () => {
  it('stores the record of every request it answered, once', async () => {
    const config = join(work, 'config.yaml');
    await writeFile(
      config,
      `model_list:
  - model_name: workhorse
    litellm_params: { model: openai/gpt-primary, api_base: ${simulator.baseUrl}, api_key: sk-primary }
general_settings: { database_dir: ${join(work, 'data')} }
`,
    );
    const child = spawn(process.execPath, [join(work, 'dist/cli/main.js'), 'serve', '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    gateway = child;
    let logs = '';
    child.stdout?.on('data', (part: Buffer) => void (logs += part.toString()));
    const url = await listening(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const answered: string[] = [];
    let stopping = false;
    // Eight clients in a loop; SIGTERM comes while each has a request in flight, and they stop after it.
    const clients = Array.from({ length: 8 }, async (_, worker) => {
      for (let index = 0; !stopping; index++) {
        try {
          const { response } = await client.chat.completions.create({ model: 'workhorse', messages: [{ role: 'user', content: `w${worker} n${index}` }] }).withResponse();
          answered.push(response.headers.get('x-request-id') ?? '');
        } catch {
          return;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stopping = true;
    child.kill('SIGTERM');
    await Promise.all(clients);
    expect(await exited).toBe(0);
    gateway = undefined;

    expect(answered.length).toBeGreaterThan(50);
    const database = await openPgliteDatabase({ dataDir: join(work, 'data') });
    try {
      const rows = await database.query<{ request_id: string }>("select request_id from request_records where path = '/v1/chat/completions'");
      const stored = rows.map((row) => row.request_id);
      expect(new Set(stored).size).toBe(stored.length);
      expect(stored.sort()).toStrictEqual([...answered].sort());
    } finally {
      await database.close();
    }
    const drained = logs.split('\n').find((line) => line.includes('"records_drained"'));
    expect(JSON.parse(drained ?? '{}')).toMatchObject({ stored: answered.length, spooled: 0, lost: 0 });
  }, 120_000);
});
