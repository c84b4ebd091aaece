import { describe, expect, it } from 'vitest';
import { progressReporter } from './verdict.js';

/** An Octokit that answers every check-run request and records `METHOD route title`. */
function recordingOctokit() {
  const sent: string[] = [];
  const octokit = {
    request: async (route: string, params: { output?: { title?: string } }) => {
      sent.push(`${route.split(' /')[0]} ${params.output?.title ?? ''}`);
      return { data: { id: 7 } };
    },
  };
  return { sent, octokit: octokit as unknown as Parameters<typeof progressReporter>[0] };
}

/** The titles a first sync of `total` tickets shows, told after each ticket as the sync tells it. */
async function progressTitles(total: number): Promise<string[]> {
  const { sent, octokit } = recordingOctokit();
  const progress = progressReporter(octokit, { owner: 'acme', name: 'app' }, 'a'.repeat(40));
  await progress.start();
  for (let done = 1; done <= total; done++) progress.progress(done, total);
  await progress.finish({ report: { tickets: [], problems: [] }, location: { dir: 'tickets', format: 'native' } });
  return sent;
}

const importing = (total: number, ...shown: number[]) => shown.map((n) => `PATCH ticket-sync: importing ${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} tickets`);

describe('a first sync’s progress in its check run', () => {
  it('moves on at the first ticket, then every 5% of a thousand tickets (every 50), and at the last', async () => {
    const every50 = Array.from({ length: 19 }, (_, i) => 51 + 50 * i); // 51, 101, … 951
    expect(await progressTitles(1000)).toEqual([
      'POST ticket-sync: importing tickets',
      ...importing(1000, 1, ...every50, 1000),
      'PATCH Tickets in sync',
    ]);
  });

  it('moves on every 25 tickets when 5% is fewer, as for a hundred tickets', async () => {
    expect(await progressTitles(100)).toEqual(['POST ticket-sync: importing tickets', ...importing(100, 1, 26, 51, 76, 100), 'PATCH Tickets in sync']);
  });

  it('shows only the first and the last ticket of a sync shorter than one step', async () => {
    expect(await progressTitles(12)).toEqual(['POST ticket-sync: importing tickets', ...importing(12, 1, 12), 'PATCH Tickets in sync']);
  });
});
