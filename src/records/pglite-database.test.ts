/**
 * The embedded database behind its worker thread: statements, COPY, and transactions that stay open across
 * messages, with Postgres's own errors (and their SQLSTATE) carried back to the caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabaseError, openPgliteDatabase } from './pglite-database.js';
import { isDataError, type SqlDatabase } from './sql-database.js';

let database: SqlDatabase;

beforeAll(async () => {
  database = await openPgliteDatabase({});
  await database.query('create table items (id integer primary key, name text not null)');
}, 60_000);

afterAll(async () => {
  await database?.close();
});

const names = async () => (await database.query<{ name: string }>('select name from items order by id')).map((row) => row.name);

describe('embedded database on a worker thread', () => {
  it('runs parameterised statements and returns typed rows', async () => {
    const rows = await database.query<{ at: Date; tags: string[]; doc: unknown }>("select $1::timestamptz as at, $2::text[] as tags, '{\"a\":1}'::jsonb as doc", [
      new Date('2025-06-01T12:00:00.000Z'),
      ['x', 'y'],
    ]);
    expect(rows).toStrictEqual([{ at: new Date('2025-06-01T12:00:00.000Z'), tags: ['x', 'y'], doc: { a: 1 } }]);
  });

  it('bulk-loads COPY text and counts the rows', async () => {
    await database.query('delete from items');
    expect(await database.copyIn({ table: 'items', columns: ['id', 'name'], text: '1\tone\n2\ttwo\n' })).toBe(2);
    expect(await names()).toStrictEqual(['one', 'two']);
  });

  it('a failed COPY loads nothing and reports a data error with its SQLSTATE', async () => {
    await database.query('delete from items');
    const failure = await database.copyIn({ table: 'items', columns: ['id', 'name'], text: '1\tone\nnot-a-number\ttwo\n' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EmbeddedDatabaseError);
    expect({ code: (failure as EmbeddedDatabaseError).code, data: isDataError(failure) }).toStrictEqual({ code: '22P02', data: true });
    expect(await names()).toStrictEqual([]);
  });

  it('commits a transaction whose work resolves, across several messages', async () => {
    await database.query('delete from items');
    const result = await database.transaction(async (executor) => {
      await executor.query('insert into items values (1, $1)', ['first']);
      const [row] = await executor.query<{ count: number }>('select count(*)::int as count from items');
      await executor.query('insert into items values (2, $1)', ['second']);
      return row.count;
    });
    expect(result).toBe(1);
    expect(await names()).toStrictEqual(['first', 'second']);
  });

  it('rolls back a transaction whose work throws, and rethrows', async () => {
    await database.query('delete from items');
    const failure = await database
      .transaction(async (executor) => {
        await executor.query('insert into items values (1, $1)', ['kept?']);
        throw new Error('work failed');
      })
      .catch((error: unknown) => error);
    expect((failure as Error).message).toBe('work failed');
    expect(await names()).toStrictEqual([]);
  });

  it('a statement outside the transaction waits for it, and sees what it committed', async () => {
    await database.query('delete from items');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = database.transaction(async (executor) => {
      await executor.query('insert into items values (1, $1)', ['inside']);
      await held;
    });
    const outside = names();
    release();
    await transaction;
    expect(await outside).toStrictEqual(['inside']);
  });

  it('reports a statement error with its SQLSTATE, and keeps working after it', async () => {
    const failure = await database.query('select * from no_such_table').catch((error: unknown) => error);
    expect({ code: (failure as EmbeddedDatabaseError).code, message: (failure as Error).message }).toStrictEqual({
      code: '42P01',
      message: 'relation "no_such_table" does not exist',
    });
    expect(await database.query<{ one: number }>('select 1 as one')).toStrictEqual([{ one: 1 }]);
  });
});

describe('closing', () => {
  it('stops the worker; later calls fail instead of hanging', async () => {
    const closing = await openPgliteDatabase({});
    await closing.close();
    await expect(closing.query('select 1')).rejects.toThrow(/exited/);
  }, 60_000);
});
