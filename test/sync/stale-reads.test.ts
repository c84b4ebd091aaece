/**
 * A newer change is never overwritten by a write planned from an older
 * read: each issue is read again right before it is written, and merged
 * again when it moved.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../support/files.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';

const PATCH_ISSUE = ['PATCH', '/repos/{owner}/{repo}/issues/{issue_number}'] as const;

describe('a person’s change made while a sync runs', () => {
  it('survives the sync’s write of the same issue: a label added between the sync’s read and its write is kept', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001'), 'tickets/TSK-0002.json': nativeTicket('TSK-0002') });
    expect((await run('push')).code).toBe(0);
    const edit = (id: string, change: Record<string, unknown>) =>
      writeFileSync(join(root, `tickets/${id}.json`), JSON.stringify({ ...JSON.parse(readText(root, `tickets/${id}.json`)), ...change, updated_at: github.clock.iso() }, null, 2) + '\n');
    edit('TSK-0001', { title: 'First, renamed' });
    edit('TSK-0002', { status: 'in_progress' });
    // Right when the sync writes #1, having read #2 already, a person labels #2.
    github.beforeNext(...PATCH_ISSUE, () => github.as('hubot').in('acme/app').label(2, 'urgent'));
    github.clock.advance(1_000);
    expect((await run('sync')).code).toBe(0);

    const issue = github.world.repo('acme/app')!.issues.get(2)!;
    expect(issue.labels.sort()).toEqual(['priority: medium', 'status: in progress', 'type: task', 'urgent']);
    expect(JSON.parse(readText(root, 'tickets/TSK-0002.json'))).toMatchObject({ status: 'in_progress', labels: ['urgent'] });
  });
});
