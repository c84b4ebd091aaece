import { describe, expect, it } from 'vitest';
import { sign } from '../emulator/webhooks.js';
import { deliverWebhook as deliver, SECRET, startApp, ticket } from '../support/app.js';


describe('webhooks the App cannot read', () => {
  it('acknowledges signed payloads missing what a handler needs, queues nothing, and goes on with the next good one', async () => {
    const { github, installation, url, quiet, person, failures, app, fileOn } = await startApp();
    const where = { repository: { full_name: 'acme/app', default_branch: 'main' }, installation: { id: installation.id }, sender: { login: 'mallory' } };
    const logStart = github.log.length;

    expect(await deliver(url, 'issues', { ...where, action: 'closed' }, 'bad-1')).toBe(200); // no issue
    expect(await deliver(url, 'issues', { ...where, action: 'closed', issue: { number: 'one' } }, 'bad-2')).toBe(200);
    expect(await deliver(url, 'push', { ...where, ref: 'refs/heads/main', before: 'x', after: 'y' }, 'bad-3')).toBe(200);
    expect(await deliver(url, 'issue_comment', { action: 'created', issue: { number: 1 }, sender: { login: 'mallory' } }, 'bad-4')).toBe(200); // no repository
    expect(await deliver(url, 'installation', { action: 'created', installation: { id: installation.id }, repositories: 'all of them' }, 'bad-5')).toBe(200);
    await quiet();
    expect(failures).toEqual([]);
    expect(github.log.slice(logStart).filter((e) => e.actor === 'ticket-sync[bot]' && !e.route.startsWith('/app'))).toEqual([]);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ queued: 0 });

    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOn('tickets/TSK-0001.json')!).github).toMatchObject({ issue: 1 });
    await app.idle();
  });

  it('acknowledges a signed payload of any JSON shape but an object (null, an array, a string, a number, a boolean) for every event it handles, and ignores it', async () => {
    const { github, url, quiet, person, failures, fileOn } = await startApp();
    const events = ['issues', 'issue_comment', 'push', 'installation', 'installation_repositories', 'pull_request', 'pull_request_review', 'check_suite', 'check_run', 'status', 'workflow_run', 'projects_v2_item'];
    const shapes: unknown[] = [null, [], [{ installation: { id: 1 } }], 'opened', '', 42, 0, true, false];
    const answers: string[] = [];
    for (const event of events) {
      for (const [i, shape] of shapes.entries()) answers.push(`${event} ${JSON.stringify(shape)} → ${await deliver(url, event, shape, `shape-${event}-${i}`)}`);
    }
    expect(answers).toEqual(events.flatMap((event) => shapes.map((shape) => `${event} ${JSON.stringify(shape)} → 200`)));
    await quiet();
    expect(failures).toEqual([]);
    expect(github.log.filter((e) => e.actor === 'ticket-sync[bot]' && !e.route.startsWith('/app'))).toEqual([]);

    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    expect(JSON.parse(fileOn('tickets/TSK-0001.json')!).github).toMatchObject({ issue: 1 });
  });

  it('refuses a body that is not JSON with a 4xx and changes nothing', async () => {
    const { url, repo, quiet } = await startApp();
    const body = '{"action": "closed", ';
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'bad-json', 'x-hub-signature-256': sign(SECRET, body) },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    await quiet();
    expect(repo.issues.size).toBe(0);
  });
});
