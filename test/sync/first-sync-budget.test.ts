/**
 * A first sync of many tickets fits GitHub's limits: n creations plus one
 * listing read per 100 issues, never a duplicate, and a no-op sync right
 * after it is all conditional 304s.
 */
import { describe, expect, it } from 'vitest';
import { nativeTicket, ticketIds, workingCopy } from '../support/working-copy.js';

const N = 1000;

describe('a first sync of 1,000 tickets', () => {
  it('costs 1,000 creations and 11 listing reads, stays under the primary limit, and is followed by a no-op sync of 10 304s', async () => {
    const files: Record<string, string> = {};
    for (const id of ticketIds(N)) files[`tickets/${id}.json`] = nativeTicket(id);
    // GitHub's primary limit for a token: 5,000 requests an hour. The emulated clock runs 1,000 times
    // faster (so the content-creation pacing takes seconds), so the hour is checked by count below.
    const { github, run } = await workingCopy(files, { primaryLimit: 5000, clockSpeed: 1000 });

    const first = await run('push');
    expect(first.code, first.stderr).toBe(0);
    const requests = github.log.map((e) => `${e.method} ${e.route} ${e.status}`);
    const count = (line: string) => requests.filter((r) => r === line).length;
    expect(count('POST /repos/{owner}/{repo}/issues 201')).toBe(N);
    // The listing once before creating (empty), and once after, so that the next run's reads are conditional hits.
    expect(count('GET /repos/{owner}/{repo}/issues 200')).toBe(1 + N / 100);
    expect(requests).toHaveLength(N + 1 + N / 100);
    expect(requests.filter((r) => !r.endsWith(' 304')).length).toBeLessThan(5000);
    expect(github.world.repo('acme/app')!.issues.size).toBe(N);

    const before = github.log.length;
    expect((await run('sync')).code).toBe(0);
    expect(github.log.slice(before).map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual(Array(N / 100).fill('GET /repos/{owner}/{repo}/issues 304'));
  }, 300_000);
});
