/**
 * A one-way run (`push`, `pull`) writes one side only: what the merge took
 * from the other side still waits to be written, and the next run must read
 * it as that side's change — never as a removal by the side that was written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../support/files.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';

async function withLabelsOnBothSides() {
  const copy = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
  expect((await copy.run('push')).code).toBe(0);
  copy.github.as('hubot').in('acme/app').label(1, 'urgent');
  copy.github.clock.advance(2_000);
  const path = join(copy.root, 'tickets/TSK-0001.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readText(copy.root, 'tickets/TSK-0001.json')), labels: ['docs'], updated_at: copy.github.clock.iso() }, null, 2) + '\n');
  return { ...copy, labelsOnGitHub: () => copy.github.world.repo('acme/app')!.issues.get(1)!.labels.filter((l) => !l.includes(':')).sort(), labelsInFile: () => JSON.parse(readText(copy.root, 'tickets/TSK-0001.json')).labels };
}

describe('a label added on GitHub while the file added another', () => {
  it('survives a push and comes into the file with the next sync', async () => {
    const { run, labelsOnGitHub, labelsInFile } = await withLabelsOnBothSides();
    expect((await run('push')).code).toBe(0);
    expect(labelsOnGitHub()).toEqual(['docs', 'urgent']);
    expect(labelsInFile()).toEqual(['docs']);
    expect((await run('sync')).code).toBe(0);
    expect(labelsOnGitHub()).toEqual(['docs', 'urgent']);
    expect(labelsInFile()).toEqual(['docs', 'urgent']);
  });

  it('survives a pull and goes to GitHub with the next sync', async () => {
    const { run, labelsOnGitHub, labelsInFile } = await withLabelsOnBothSides();
    expect((await run('pull')).code).toBe(0);
    expect(labelsInFile()).toEqual(['docs', 'urgent']);
    expect(labelsOnGitHub()).toEqual(['urgent']);
    expect((await run('sync')).code).toBe(0);
    expect(labelsInFile()).toEqual(['docs', 'urgent']);
    expect(labelsOnGitHub()).toEqual(['docs', 'urgent']);
  });
});
