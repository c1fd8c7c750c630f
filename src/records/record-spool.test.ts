/**
 * The spool on its own: what reaches the disk, in what order, in which segment, and what is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordSpool, listSegments, segmentPath } from './record-spool.js';

let dir: string;
const open: RecordSpool[] = [];

function spool(options: Partial<ConstructorParameters<typeof RecordSpool>[0]> = {}): RecordSpool {
  const created = new RecordSpool({ dir, flushIntervalMs: 60_000, ...options });
  open.push(created);
  return created;
}

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'switchyard-spool-unit-')), 'spool');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((created) => created.close()));
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('record spool', () => {
  it('writes lines in order as UTF-8 on flush, and the position counts bytes', async () => {
    const first = spool();
    await first.ready;
    const lines = ['a\tb\n', 'é 🚦 \\N\n', 'last\n'];
    for (const line of lines) expect(first.append(line)).toBe(true);
    expect(first.stats).toMatchObject({ appended: 3, pendingBytes: Buffer.byteLength(lines.join('')), diskBytes: 0 });
    const position = await first.flush();
    expect(position).toStrictEqual({ segment: 1, offset: Buffer.byteLength(lines.join('')) });
    expect(await readFile(segmentPath(dir, 1), 'utf8')).toBe(lines.join(''));
    expect(first.stats).toMatchObject({ pendingBytes: 0, diskBytes: position.offset, dropped: 0 });
  });

  it('moves to a new segment past segmentBytes, and a later run never appends to an earlier one', async () => {
    const first = spool({ segmentBytes: 10 });
    first.append('0123456789ab\n');
    expect(await first.flush()).toStrictEqual({ segment: 2, offset: 0 });
    first.append('second\n');
    await first.flush();
    await first.close();
    const second = spool();
    await second.ready;
    second.append('third\n');
    expect(await second.flush()).toStrictEqual({ segment: 3, offset: 6 });
    expect((await listSegments(dir)).map(({ segment, bytes }) => [segment, bytes])).toStrictEqual([
      [1, 13],
      [2, 7],
      [3, 6],
    ]);
    expect(await readFile(join(dir, 'spool-id'), 'utf8')).toMatch(/^[0-9a-f-]{36}\n$/);
  });

  it('a flush returns once what was appended before it is written, while appends go on', async () => {
    const busy = spool();
    await busy.ready;
    let appending = true;
    const keepAppending = () => {
      busy.append('more\n');
      if (appending) setImmediate(keepAppending);
    };
    busy.append('before\n');
    keepAppending();
    const position = await busy.flush();
    appending = false;
    expect(position.offset).toBeGreaterThanOrEqual('before\n'.length);
    expect((await readFile(segmentPath(dir, 1), 'utf8')).startsWith('before\nmore\n')).toBe(true);
  });

  it('drops and counts records once the segments fill maxBytes, or memory fills maxPendingBytes', async () => {
    const full = spool({ maxBytes: 20, maxPendingBytes: 1_000 });
    await full.ready;
    expect(full.append('x'.repeat(24) + '\n')).toBe(true);
    await full.flush();
    expect(full.append('late\n')).toBe(false);
    expect(full.stats).toMatchObject({ appended: 1, dropped: 1, diskBytes: 25 });
    await full.close();

    const small = new RecordSpool({ dir: join(dir, '..', 'small'), flushIntervalMs: 60_000, maxPendingBytes: 40 });
    open.push(small);
    expect(small.append('0123456789\n')).toBe(true);
    // Memory is reserved for the worst case of three bytes per character.
    expect(small.append('0123456789\n')).toBe(false);
    expect(small.stats.dropped).toBe(1);
  });

  it('refuses a directory another live process holds, and its records are counted as dropped', async () => {
    const errors: unknown[] = [];
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'lock'), `${process.ppid}\n`);
    const refused = spool({ onError: (error) => errors.push(error) });
    refused.append('lost\n');
    await expect(refused.ready).rejects.toThrow(`in use by process ${process.ppid}`);
    expect(refused.stats.dropped).toBe(1);
    expect(refused.append('also lost\n')).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('takes over the lock of a process that is gone, but not of a spool open in this process', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'lock'), `${gone.stdout}\n`);
    const taken = spool();
    await taken.ready;
    expect(await readFile(join(dir, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
    const twice = spool();
    await expect(twice.ready).rejects.toThrow('already open in this process');
    await taken.close();
    expect(await readdir(dir)).not.toContain('lock');
  });
});
