import { describe, expect, it } from 'vitest';
import { FIXED_NOW } from '../../test/support/files.js';
import { mapBounded } from './bounded-map.js';
import { memoryFiles, type TicketFiles } from './files.js';
import { FORMATS } from './formats/index.js';
import { READ_CONCURRENCY, TicketStore } from './store.js';

const tsk = (n: number) => `TSK-${String(n).padStart(4, '0')}`;
const ticketFile = (id: string) => JSON.stringify({ id, type: 'task', title: `Ticket ${id}`, status: 'open' }, null, 2) + '\n';

/** Files whose reads take a while, later files less long (so they end first), counting the reads in flight. */
function slow(files: TicketFiles): { files: TicketFiles; most: () => number } {
  let inFlight = 0;
  let most = 0;
  let started = 0;
  return {
    most: () => most,
    files: {
      ...files,
      read: async (path) => {
        inFlight++;
        most = Math.max(most, inFlight);
        const delay = 20 - (started++ % 20);
        try {
          await new Promise((resolve) => setTimeout(resolve, delay));
          return await files.read(path);
        } finally {
          inFlight--;
        }
      },
    },
  };
}

describe('reading a location', () => {
  it(`keeps at most ${READ_CONCURRENCY} reads in flight, and gives tickets and problems in the order of one read at a time`, async () => {
    const initial = new Map<string, string | Buffer>();
    for (let n = 1; n <= 200; n++) initial.set(`${tsk(n)}.json`, ticketFile(tsk(n)));
    initial.set('broken/a.json', '{"id": "TSK-0900", "title": 1}');
    initial.set('broken/b.json', '{');
    initial.set('broken/c.json', Buffer.from([0x7b, 0xe9, 0x7d]));
    initial.set('dup/TSK-0007.json', ticketFile('TSK-0007'));
    const { files, most } = slow(memoryFiles(initial));
    const snapshot = await new TicketStore(files, FORMATS.native, () => FIXED_NOW).snapshot();
    expect(most()).toBe(READ_CONCURRENCY);

    const oneByOne = await new TicketStore(memoryFiles(initial), FORMATS.native, () => FIXED_NOW).snapshot();
    expect(snapshot).toEqual(oneByOne);
    expect(snapshot.tickets.map((t) => t.ticket.id)).toEqual([...Array(200).keys()].map((i) => tsk(i + 1)).filter((id) => id !== 'TSK-0007'));
    expect(snapshot.problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'TSK-0007.json duplicate-id',
      'broken/a.json schema',
      'broken/b.json invalid-json',
      'broken/c.json unreadable',
      'dup/TSK-0007.json duplicate-id',
    ]);
  });
});

describe('a bounded map', () => {
  it('runs at most the limit at once and keeps the results in the order of the items', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapBounded([...Array(50).keys()], 4, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 50 - n));
      inFlight--;
      return n * 2;
    });
    expect(most).toBe(4);
    expect(results).toEqual([...Array(50).keys()].map((n) => n * 2));
  });

  it('fails with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const failing = mapBounded([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (n === 1) throw new Error('no');
      return n;
    });
    await expect(failing).rejects.toThrow('no');
    expect(started).toEqual([0, 1, 2]);
  });

  it('refuses a limit below one', async () => {
    await expect(mapBounded([1], 0, async (n) => n)).rejects.toThrow(RangeError);
  });
});
