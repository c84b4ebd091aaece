import { describe, expect, it } from 'vitest';
import { startApp, ticket, writes, type StartOptions } from '../support/app.js';

const DAY = 24 * 3600_000;

/** The App after a person's issue edit was delivered and written back; `edited` is that delivery. */
async function afterAnIssueEdit(options: StartOptions = {}) {
  const started = await startApp(options);
  const { github, quiet, person } = started;
  person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
  await quiet();
  github.clock.advance(2_000);
  github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed' });
  await quiet();
  const edited = github.webhooks.deliveries.filter((d) => d.event === 'issues' && d.action === 'edited').at(-1)!;
  /** `METHOD route` of the App's requests since log entry `from`. */
  const appRequestsSince = (from: number) => github.log.slice(from).filter((e) => e.actor === 'ticket-sync[bot]').map((e) => `${e.method} ${e.route}`);
  return { ...started, edited, appRequestsSince };
}

describe('the App’s memory of deliveries', () => {
  it('acknowledges a redelivery and does nothing more', async () => {
    const { github, quiet, commits, edited, appRequestsSince } = await afterAnIssueEdit();
    const commitCount = commits().length;
    const logStart = github.log.length;
    github.webhooks.redeliver(edited.id);
    await quiet();
    expect(edited.status).toBe(200);
    expect(commits()).toHaveLength(commitCount);
    expect(writes(github, logStart)).toEqual([]);
    expect(appRequestsSince(logStart)).toEqual([]);
  });

  it('ignores a redelivery within 7 days of the first, and processes one after that', async () => {
    // The App's clock is a fake one, moved by the test; the emulator keeps its own.
    let offset = 0;
    const { github, quiet, failures, edited, appRequestsSince } = await afterAnIssueEdit({ deps: { now: () => new Date(Date.now() + offset) } });

    offset = 7 * DAY - 60_000; // a minute short of 7 days
    let logStart = github.log.length;
    github.webhooks.redeliver(edited.id);
    await quiet();
    expect(edited.status).toBe(200);
    expect(appRequestsSince(logStart)).toEqual([]);

    offset = 7 * DAY + 60_000; // a minute past 7 days: forgotten, so processed like a new delivery
    logStart = github.log.length;
    github.webhooks.redeliver(edited.id);
    await quiet();
    expect(failures).toEqual([]);
    expect(appRequestsSince(logStart)[0]).toBe('GET /repos/{owner}/{repo}/contents/{path}'); // the job began: the configuration is read
  });
});
