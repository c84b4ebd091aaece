import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SyncView } from '../sync/types.js';
import { openStateStore, parseStoreUrl } from './keyv-store.js';
import type { LogEntry, StateStore } from './types.js';
import { REDIS_URL, redisProblem } from '../../test/support/redis.js';

/** The Redis the suite runs against; `TICKET_SYNC_TEST_REDIS` points it elsewhere. */
/** Every key this run writes starts with it; Redis is cleaned of it afterwards. */
const namespace = `ticket-sync-test-${randomUUID()}`;
const tmp = await mkdtemp(path.join(os.tmpdir(), 'ticket-sync-store-'));

const unreachable = await redisProblem(REDIS_URL);
// In CI a missing Redis is a failure, not a skip: the Redis cases run and fail on connecting.
const skipRedis = unreachable !== undefined && process.env.CI !== 'true';
if (skipRedis) {
  console.warn(`Skipping the Redis state store tests: ${REDIS_URL} does not answer (${unreachable}). With CI=true they run and fail.`);
}

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  if (unreachable !== undefined) return;
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 500 })) {
    if (keys.length > 0) await client.unlink(keys);
  }
  await client.close();
});

const opened: StateStore[] = [];
async function open(url: string): Promise<StateStore> {
  const store = await openStateStore(url, { namespace });
  opened.push(store);
  return store;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

let repos = 0;
/** A repository name no other test uses, so tests on one file or server never meet. */
const newRepo = () => `acme/app-${++repos}`;

type NewEntry = Omit<LogEntry, 'seq' | 'repo'>;
function draft(ticket: string, change: Partial<NewEntry> = {}): NewEntry {
  return { ticket, field: 'title', side: 'github', writer: 'octocat', at: '2026-11-23T09:30:00Z', before: 'Old', after: 'New', cause: 'cli:test', ...change };
}
const conflict: NewEntry['conflict'] = { side: 'local', writer: 'ana', at: '2026-11-23T09:29:00Z', value: { nested: ['é', 1] } };

function view(title: string): SyncView {
  return { title, description: '', status: 'open', priority: 'medium', type: 'task', labels: [], assignees: [], comments: [] };
}

const seqsOf = (entries: LogEntry[]) => entries.map((entry) => entry.seq);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

const BACKENDS = [
  { name: 'memory', url: 'memory:', persistent: false, skip: false },
  { name: 'SQLite in memory', url: 'sqlite::memory:', persistent: false, skip: false },
  { name: 'a SQLite file', url: `sqlite://${path.join(tmp, 'state', 'state.sqlite')}`, persistent: true, skip: false },
  { name: 'Redis', url: REDIS_URL, persistent: true, skip: skipRedis },
];

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`the state store in ${backend.name}`, () => {
    describe('bases', () => {
      it('keeps a base per repository and ticket, and deletes one without touching the others', async () => {
        const store = await open(backend.url);
        const [one, two] = [newRepo(), newRepo()];
        await store.setBase(one, 'TSK-1', view('one'));
        await store.setBase(two, 'TSK-1', view('two'));
        await store.setBase(one, 'TSK-2', view('other ticket'));

        expect(await store.getBase(one, 'TSK-1')).toEqual(view('one'));
        expect(await store.getBase(two, 'TSK-1')).toEqual(view('two'));
        await store.deleteBase(one, 'TSK-1');
        expect(await store.getBase(one, 'TSK-1')).toBeUndefined();
        expect(await store.getBase(two, 'TSK-1')).toEqual(view('two'));
        expect(await store.getBase(one, 'TSK-2')).toEqual(view('other ticket'));
      });

      it('keeps ticket ids holding ":" or "%" apart from their escaped spellings', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        const ids = ['feature-x:7', 'feature-x%3A7', 'feature-x%253A7'];
        for (const id of ids) await store.setBase(repo, id, view(id));
        for (const id of ids) expect((await store.getBase(repo, id))?.title).toBe(id);
      });

      it('round-trips a view exactly as JSON would: unicode, nested objects, and no undefined fields', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        const written: SyncView = {
          ...view('Ünïcødé 🎫 «quoted» "and" \\ back\u2028slash'),
          description: ':starts with a colon\n\n```json\n{"nested": {"deep": [1, "二"]}}\n```',
          labels: [':colon', 'ç'],
          comments: [{ id: 'gh-1', author: 'octocat', body: '👍🏽 ok', created_at: '2026-11-23T09:30:00Z', updated_at: undefined }],
        };
        await store.setBase(repo, 'TSK-1', written);

        const read = await store.getBase(repo, 'TSK-1');
        expect(read).toStrictEqual(JSON.parse(JSON.stringify(written)));
        expect(read?.comments[0]).not.toHaveProperty('updated_at');
      });
    });

    describe('links', () => {
      it('links a ticket and an issue both ways, per repository', async () => {
        const store = await open(backend.url);
        const [repo, other] = [newRepo(), newRepo()];
        await store.setLink(repo, 'TSK-1', 12);

        expect(await store.getLink(repo, 'TSK-1')).toBe(12);
        expect(await store.ticketForIssue(repo, 12)).toBe('TSK-1');
        expect(await store.getLink(other, 'TSK-1')).toBeUndefined();
        expect(await store.ticketForIssue(other, 12)).toBeUndefined();
      });

      it('replaces the earlier link of the ticket and of the issue', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        await store.setLink(repo, 'TSK-1', 12);
        await store.setLink(repo, 'TSK-1', 13);
        expect(await store.getLink(repo, 'TSK-1')).toBe(13);
        expect(await store.ticketForIssue(repo, 13)).toBe('TSK-1');
        expect(await store.ticketForIssue(repo, 12)).toBeUndefined();

        await store.setLink(repo, 'TSK-2', 13);
        expect(await store.ticketForIssue(repo, 13)).toBe('TSK-2');
        expect(await store.getLink(repo, 'TSK-2')).toBe(13);
        expect(await store.getLink(repo, 'TSK-1')).toBeUndefined();
      });
    });

    describe('the log', () => {
      it('numbers entries 1, 2, 3… in order across appends and reads them back in that order', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        const first = await store.appendLog(repo, [draft('TSK-1'), draft('TSK-2', { field: 'labels', before: [], after: ['ç'] })]);
        const none = await store.appendLog(repo, []);
        const second = await store.appendLog(repo, [draft('TSK-1', { field: 'comment:c1', before: null, after: { body: '✓' } })]);
        const third = await store.appendLog(repo, [draft('TSK-3'), draft('TSK-1'), draft('TSK-3')]);

        expect([seqsOf(first), seqsOf(none), seqsOf(second), seqsOf(third)]).toEqual([[1, 2], [], [3], [4, 5, 6]]);
        expect(first[0]).toEqual({ seq: 1, repo, ...draft('TSK-1') });
        expect(await store.readLog(repo)).toStrictEqual([...first, ...second, ...third]);
      });

      it('keeps each repository to its own numbering', async () => {
        const store = await open(backend.url);
        const [one, two] = [newRepo(), newRepo()];
        await store.appendLog(one, [draft('TSK-1'), draft('TSK-1')]);
        const [entry] = await store.appendLog(two, [draft('TSK-1')]);

        expect(entry?.seq).toBe(1);
        expect(seqsOf(await store.readLog(two))).toEqual([1]);
      });

      it('filters the log by ticket, by conflicts, and by both', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        await store.appendLog(repo, [draft('TSK-1'), draft('TSK-2', { conflict }), draft('TSK-1', { conflict })]);
        await store.appendLog(repo, [draft('TSK-2'), draft('TSK-1')]);

        expect(seqsOf(await store.readLog(repo, { ticket: 'TSK-1' }))).toEqual([1, 3, 5]);
        expect(seqsOf(await store.readLog(repo, { conflicts: true }))).toEqual([2, 3]);
        expect(seqsOf(await store.readLog(repo, { ticket: 'TSK-1', conflicts: true }))).toEqual([3]);
        expect(seqsOf(await store.readLog(repo, { conflicts: false }))).toEqual([1, 2, 3, 4, 5]);
        expect(await store.readLog(repo, { ticket: 'TSK-9' })).toEqual([]);
        expect((await store.readLog(repo, { conflicts: true }))[0]?.conflict).toStrictEqual(conflict);
      });

      it('returns one entry by its seq, and undefined for a seq not given out', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        const [, second] = await store.appendLog(repo, [draft('TSK-1'), draft('TSK-2', { conflict })]);

        expect(await store.getLogEntry(repo, 2)).toStrictEqual(second);
        expect(await store.getLogEntry(repo, 3)).toBeUndefined();
        expect(await store.getLogEntry(newRepo(), 2)).toBeUndefined();
      });

      it('gives 20 parallel appends distinct consecutive seqs, each append in one run', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        const appended = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.appendLog(repo, Array.from({ length: (i % 3) + 1 }, () => draft(`TSK-${i % 4}`)))),
        );

        const total = appended.flat().length;
        expect(seqsOf(appended.flat()).sort((a, b) => a - b)).toEqual(oneTo(total));
        for (const run of appended) expect(seqsOf(run)).toEqual(oneTo(run.length).map((n) => n + run[0]!.seq - 1));
        expect(seqsOf(await store.readLog(repo))).toEqual(oneTo(total));
        const ofTicket = appended.flat().filter((entry) => entry.ticket === 'TSK-1');
        expect(seqsOf(await store.readLog(repo, { ticket: 'TSK-1' }))).toEqual(seqsOf(ofTicket).sort((a, b) => a - b));
      });

      it('reads a log of 1,200 entries in order, whole and by ticket', async () => {
        const store = await open(backend.url);
        const repo = newRepo();
        for (let batch = 0; batch < 12; batch++) {
          await store.appendLog(repo, Array.from({ length: 100 }, (_, i) => draft(`TSK-${(batch * 100 + i) % 3}`)));
        }

        expect(seqsOf(await store.readLog(repo))).toEqual(oneTo(1200));
        expect(seqsOf(await store.readLog(repo, { ticket: 'TSK-2' }))).toEqual(oneTo(400).map((n) => n * 3));
      });
    });

    it('round-trips cached responses and meta, and forgets meta set to undefined', async () => {
      const store = await open(backend.url);
      const [repo, other] = [newRepo(), newRepo()];
      const response = { etag: 'W/"5f1e"', data: [{ number: 12, title: 'Ünïcødé', labels: [{ name: 'bug' }] }] };
      const key = `GET /repos/${repo}/issues?state=all&page=1`;
      await store.setCached(key, response);
      await store.setMeta(repo, 'run', { phase: 'push', done: ['TSK-1'] });

      expect(await store.getCached(key)).toStrictEqual(response);
      expect(await store.getCached(`${key}2`)).toBeUndefined();
      expect(await store.getMeta(repo, 'run')).toStrictEqual({ phase: 'push', done: ['TSK-1'] });
      expect(await store.getMeta(other, 'run')).toBeUndefined();
      await store.setMeta(repo, 'run', undefined);
      expect(await store.getMeta(repo, 'run')).toBeUndefined();
    });

    it('forgets meta set with a time to live once it has passed, and keeps the meta set without one', async () => {
      const store = await open(backend.url);
      const repo = newRepo();
      await store.setMeta(repo, 'delivery:1', '2026-11-23T10:00:00Z', 50);
      await store.setMeta(repo, 'kept', true);
      expect(await store.getMeta(repo, 'delivery:1')).toBe('2026-11-23T10:00:00Z');
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await store.getMeta(repo, 'delivery:1')).toBeUndefined();
      expect(await store.getMeta(repo, 'kept')).toBe(true);
    });

    // Only a file or a server outlives its opening; each in-process opening starts empty.
    if (backend.persistent) describe('shared by several openings', () => {
      it('keeps everything across a close and reopen, and goes on from the last seq', async () => {
        const repo = newRepo();
        const before = await open(backend.url);
        await before.setBase(repo, 'TSK-1', view('kept'));
        await before.setLink(repo, 'TSK-1', 7);
        await before.setMeta(repo, 'cursor', 'abc');
        const logged = await before.appendLog(repo, [draft('TSK-1'), draft('TSK-1', { conflict })]);
        await before.close();

        const after = await open(backend.url);
        expect(await after.getBase(repo, 'TSK-1')).toEqual(view('kept'));
        expect(await after.ticketForIssue(repo, 7)).toBe('TSK-1');
        expect(await after.getMeta(repo, 'cursor')).toBe('abc');
        expect(await after.readLog(repo)).toStrictEqual(logged);
        expect(seqsOf(await after.appendLog(repo, [draft('TSK-2')]))).toEqual([3]);
      });

      it('gives 20 parallel appends from two store instances 20 distinct consecutive seqs', async () => {
        const repo = newRepo();
        const stores = [await open(backend.url), await open(backend.url)];
        const appended = await Promise.all(
          Array.from({ length: 20 }, (_, i) => stores[i % 2]!.appendLog(repo, [draft(`TSK-${i}`)])),
        );

        expect(seqsOf(appended.flat()).sort((a, b) => a - b)).toEqual(oneTo(20));
        expect(seqsOf(await stores[0]!.readLog(repo))).toEqual(oneTo(20));
        expect((await stores[1]!.readLog(repo, { ticket: 'TSK-7' })).map((entry) => entry.ticket)).toEqual(['TSK-7']);
      });
    });
  });
}

describe('opening a state store', () => {
  it('refuses an unsupported URL, naming the supported schemes and hiding its password', async () => {
    for (const url of ['postgres://admin:s3cret@db.example/state', 'sqlite:state.sqlite', 'redis:cache', '']) {
      const error = await openStateStore(url).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/sqlite:\/\/<path>.*sqlite::memory:.*memory:.*redis:\/\/.*rediss:\/\//);
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('refuses a Redis URL without a host or with a database that is not a number', async () => {
    await expect(openStateStore('redis://')).rejects.toThrow(/invalid Redis URL/);
    await expect(openStateStore('redis://:s3cret@cache.example:6379/zero')).rejects.toThrow(
      'invalid Redis URL "redis://cache.example:6379/zero"',
    );
  });

  it('shows a Redis location with its user, host, port and database but without the password', () => {
    expect(parseStoreUrl('rediss://worker:s3cret@cache.example:6380/2').location).toBe('rediss://worker@cache.example:6380/2');
    expect(parseStoreUrl('redis://:s3cret@cache.example:6379').location).toBe('redis://cache.example:6379');
  });

  it('names the Redis server it cannot reach, without the password', async () => {
    const error = await openStateStore('redis://:s3cret@127.0.0.1:1', { connectTimeout: 200 }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^cannot reach redis:\/\/127\.0\.0\.1:1: /);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('resolves a relative SQLite path against the current folder and creates its missing folders', async () => {
    const file = path.join(tmp, 'relative', 'nested', 'state.sqlite');
    const store = await open(`sqlite://${path.relative(process.cwd(), file)}`);
    await store.setMeta('acme/app', 'k', 1);

    expect(store.location).toBe(`sqlite://${file}`);
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('gives each in-process opening a store of its own', async () => {
    for (const url of ['memory:', 'sqlite::memory:']) {
      const [one, two] = [await open(url), await open(url)];
      await one.setMeta('acme/app', 'k', url);

      expect(one.location).toBe(url);
      expect(await one.getMeta('acme/app', 'k')).toBe(url);
      expect(await two.getMeta('acme/app', 'k')).toBeUndefined();
    }
  });
});
