/**
 * What garbage gets: pull request and CI webhooks missing what the App
 * needs are acknowledged and ignored, and the next good one works; a pull
 * request body of 65,536 characters with 300 references (other
 * repositories', inside code and quotes) and a unicode branch name link just
 * the tickets they should.
 */
import { describe, expect, it } from 'vitest';
import { deliverWebhook as deliver } from '../../support/app.js';
import { linkedRepo } from './support.js';


describe('pull request input the App cannot trust', () => {
  it('acknowledges pull request, review, check and board webhooks missing what it needs, queues nothing, and goes on with the next good one', async () => {
    const app = await linkedRepo();
    const where = { repository: { full_name: 'acme/app', default_branch: 'main' }, installation: { id: app.installation.id }, sender: { login: 'mallory' } };
    const from = app.github.log.length;
    const bad: [string, unknown][] = [
      ['pull_request', { ...where, action: 'opened' }],
      ['pull_request', { ...where, action: 'opened', pull_request: { number: 'one', title: 7 } }],
      ['pull_request', { ...where, action: 'closed', pull_request: { number: 1, title: 'x', state: 'closed', updated_at: 'yesterday', head: {}, base: { ref: 'main' } } }],
      ['pull_request_review', { ...where, action: 'submitted', pull_request: { number: 1 } }],
      ['check_suite', { ...where, action: 'completed', check_suite: { id: 'x' } }],
      ['check_run', { ...where, action: 'completed', check_run: { id: 1, name: 'build', head_sha: 5, pull_requests: 'all' } }],
      ['status', { ...where, state: 'failure' }],
      ['workflow_run', { ...where, action: 'completed', workflow_run: null }],
      ['projects_v2_item', { action: 'edited', installation: { id: app.installation.id }, sender: { login: 'mallory' }, projects_v2_item: { id: -3 } }],
    ];
    for (const [i, [event, payload]] of bad.entries()) expect(await deliver(app.url, event, payload, `bad-pr-${i}`)).toBe(200);
    await app.step();
    expect(app.github.log.slice(from).filter((e) => e.actor === 'ticket-sync[bot]' && !e.route.startsWith('/app'))).toEqual([]);

    app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login' });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
  });

  it('links only what a 65,536-character body with 300 references means, on a branch with a unicode name', async () => {
    const app = await linkedRepo();
    const real = app.issueOf('TSK-0002').number;
    const noise = [
      ...Array.from({ length: 100 }, (_, i) => `Fixes other/repo#${i + 1}`),
      ...Array.from({ length: 100 }, () => 'Not `Fixes TSK-0003`, nor:\n\n```\nFixes TSK-0001\n```'),
      ...Array.from({ length: 99 }, () => '> Fixes TSK-0003'),
    ].join('\n\n');
    const body = `${noise}\n\nFixes #${real}\n\n<!-- Fixes TSK-0001 -->\n`;
    const padded = body + 'x'.repeat(65_536 - body.length);
    expect(padded).toHaveLength(65_536);
    app.openPull(app.ada, { branch: 'fonctionnalité/connexion-🚀', title: 'Connexion', body: padded });
    await app.step();
    expect([app.statusOf('TSK-0001'), app.statusOf('TSK-0002'), app.statusOf('TSK-0003')]).toEqual(['open', 'review', 'open']);
  });
});
