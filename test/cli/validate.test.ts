import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/files.js';

function nativeTicket(n: number): string {
  const id = `TSK-${String(n).padStart(4, '0')}`;
  return JSON.stringify({ id, type: 'task', title: `Task ${n}`, description: `Do ${n}`, status: 'open', priority: 'medium', assignees: [], labels: [], dependencies: [], comments: [], metadata: {} }, null, 2) + '\n';
}

/** A git working copy (a `.git` folder is enough) holding `files`. */
function workingCopy(files: Record<string, string>): string {
  const root = tempDir(files);
  mkdirSync(join(root, '.git'));
  return root;
}

describe('ticket-sync validate', () => {
  it('reports exactly the one broken file among 1,000 valid tickets, with its line and column, and exits 1', async () => {
    const files: Record<string, string> = {};
    for (let n = 1; n <= 1000; n++) files[`tickets/TSK-${String(n).padStart(4, '0')}.json`] = nativeTicket(n);
    files['tickets/TSK-1001.json'] = '{\n  "id": "TSK-1001",\n  "title": "Broken"\n  "status": "open"\n}\n';
    const root = workingCopy(files);

    const result = await cli(root, 'validate');

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('tickets/TSK-1001.json:4:3: invalid JSON: a comma was expected\n');
    expect(result.stderr).toContain('1000 tickets in 1001 files, 1 problem');
  });

  it('exits 0 and prints no problem for a clean location', async () => {
    const root = workingCopy({ 'tickets/TSK-0001.json': nativeTicket(1) });
    const result = await cli(root, 'validate');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain('tickets (ticket-sync JSON): 1 ticket in 1 file, no problems');
  });

  it('finds every ticket location of the working copy from a subfolder, each in its own format', async () => {
    const root = workingCopy({
      'tickets/TSK-0001.json': nativeTicket(1),
      '.orchestr8/tickets/a1b2c3d4.json': JSON.stringify({ id: 'a1b2c3d4', fiefdom: 'IP', status: 'archived', title: 'T', description: '', errors: [], warnings: [], context: {}, notes: [] }),
      '.taskmaster/tasks/tasks.json': JSON.stringify({ master: { tasks: [{ id: 1, title: 'A', status: 'pending', dependencies: [] }] } }),
      'src/deep/keep.txt': '',
    });
    const result = await cli(join(root, 'src', 'deep'), 'validate');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('../../.taskmaster/tasks (task-master tasks.json): 1 ticket');
    expect(result.stderr).toContain('../../.orchestr8/tickets (TicketManager (Orchestr8)): 1 ticket');
    expect(result.stderr).toContain('../../tickets (ticket-sync JSON): 1 ticket');
  });

  it('prints paths relative to the current folder so editors can open them', async () => {
    const root = workingCopy({ 'tickets/bad.json': '{"id": "X", "title": 7}' });
    const result = await cli(join(root, 'tickets'), 'validate', '--dir', '.');
    expect(result.stdout).toBe('bad.json:1:13: "title": Invalid input: expected string, received number\n');
  });

  it('writes a JSON report with every problem and location on --json', async () => {
    const root = workingCopy({
      'tickets/TSK-0001.json': nativeTicket(1),
      'tickets/TSK-0002.json': '{"id": "TSK-0002", "title": "x", "status": "sideways"}',
    });
    const result = await cli(root, 'validate', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.locations).toEqual([{ dir: 'tickets', format: 'native', files: 2, tickets: 1, problems: 1 }]);
    expect(report.problems).toEqual([
      expect.objectContaining({ path: 'tickets/TSK-0002.json', line: 1, column: 34, pointer: '/status', code: 'schema' }),
    ]);
    expect(report.problems[0].message).toBe(
      '"status": unknown status "sideways": use open, in_progress, blocked, review, done, reopened, cancelled or another word of the status table in README',
    );
  });

  it('reports two files claiming one id as duplicates, each pointing at the other', async () => {
    const root = workingCopy({ 'tickets/a.json': nativeTicket(1), 'tickets/b.json': nativeTicket(1) });
    const result = await cli(root, 'validate');
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'tickets/a.json:1:1: duplicate id "TSK-0001": also claimed by b.json:1:1; neither is synced until one is renamed',
      'tickets/b.json:1:1: duplicate id "TSK-0001": also claimed by a.json:1:1; neither is synced until one is renamed',
    ]);
  });

  it('checks a folder given with --dir in the format given with --format', async () => {
    const root = workingCopy({ 'elsewhere/CLAUDE-20250721120000.json': JSON.stringify({ id: 'CLAUDE-20250721120000', title: 'T', description: 'd', status: 'resolved', priority: 'high', assignee: null, labels: [], metadata: {} }) });
    const result = await cli(root, 'validate', '--dir', 'elsewhere', '--format', 'ticketdata');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('elsewhere (TicketData (claude-pm TicketingService)): 1 ticket');
  });

  it('takes the tickets folder and format from .github/ticket-sync.yml', async () => {
    const root = workingCopy({
      '.github/ticket-sync.yml': 'tickets:\n  path: work/items\n  format: ticketdata\n',
      'work/items/CLAUDE-20250721120000.json': JSON.stringify({ id: 'CLAUDE-20250721120000', title: 'T', description: '', status: 'open' }),
    });
    const result = await cli(root, 'validate');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('work/items (TicketData (claude-pm TicketingService)): 1 ticket');
  });
});

describe('ticket-sync validate given bad usage or configuration', () => {
  it.each([
    [['validate', '--bogus'], /unknown option '--bogus'/],
    [['validate', '--format', 'yaml'], /argument 'yaml' is invalid/],
    [['validate', '--dir'], /argument missing/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('exits 2 for %j and says what is wrong', async (argv, message) => {
    const root = workingCopy({ 'tickets/TSK-0001.json': nativeTicket(1) });
    const result = await cli(root, ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 when --dir names a folder that does not exist', async () => {
    const result = await cli(workingCopy({}), 'validate', '--dir', 'nowhere');
    expect(result).toMatchObject({ code: 2, stderr: 'ticket-sync: --dir nowhere: no such folder\n' });
  });

  it('exits 2 when --dir names a file', async () => {
    const root = workingCopy({ 'tickets/TSK-0001.json': nativeTicket(1) });
    const result = await cli(root, 'validate', '--dir', 'tickets/TSK-0001.json');
    expect(result).toMatchObject({ code: 2, stderr: 'ticket-sync: --dir tickets/TSK-0001.json: not a folder\n' });
  });

  it('exits 2 and says where it looked when the working copy has no tickets', async () => {
    const result = await cli(workingCopy({ 'README.md': '' }), 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no tickets found in \.: looked for tickets\/, .*; pass --dir/);
  });

  it('exits 2 and names the key, line and column of an invalid configuration', async () => {
    const root = workingCopy({ '.github/ticket-sync.yml': 'tickets:\n  path: tickets\n  format: xml\n', 'tickets/TSK-0001.json': nativeTicket(1) });
    const result = await cli(root, 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ticket-sync: invalid configuration:\n\.github\/ticket-sync\.yml:3:11: tickets\.format: Invalid option/);
  });

  it('exits 2 on configuration that is not YAML, or names an unknown key', async () => {
    const broken = await cli(workingCopy({ '.github/ticket-sync.yml': 'tickets: [\n' }), 'validate');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/\.github\/ticket-sync\.yml:\d+:\d+: invalid YAML/);
    const unknown = await cli(workingCopy({ '.github/ticket-sync.yml': 'tickets:\n  folder: x\n' }), 'validate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/\.github\/ticket-sync\.yml:2:3: tickets: unknown key "folder"/);
  });

  it('refuses a configured path that leaves the repository', async () => {
    const result = await cli(workingCopy({ '.github/ticket-sync.yml': 'tickets:\n  path: ../outside\n' }), 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tickets\.path: must be a folder inside the repository/);
  });
});

describe('ticket-sync --help', () => {
  it('describes every command and exits 0', async () => {
    const root = workingCopy({});
    const top = await cli(root, '--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: ticket-sync \[options\] \[command\]/);
    expect(top.stdout).toMatch(/validate \[options\]/);
    const validate = await cli(root, 'validate', '--help');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/--dir <dir>/);
    expect(validate.stdout).toMatch(/--format <format>/);
    expect(validate.stdout).toMatch(/--json/);
  });
});

it('keeps files it was not asked about untouched while validating', async () => {
  const root = workingCopy({ 'tickets/TSK-0001.json': nativeTicket(1) });
  writeFileSync(join(root, 'tickets', 'notes.txt'), 'not a ticket');
  const result = await cli(root, 'validate');
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('1 ticket in 1 file');
});
