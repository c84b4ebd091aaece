/**
 * Plays a chaos soak script against a started App: the tickets are pushed
 * and synced, then each batch of changes is made with the App's webhooks
 * held, the held webhooks are delivered, and the App is let go quiet.
 *
 * With faults (all drawn from the seed, on streams of their own so that the
 * script never depends on them): 5% of the App's writes (POST, PATCH, PUT,
 * DELETE) answer 502, half of them before GitHub applies the write and half
 * after (the answer is lost, the write is not), 10% of its ref updates
 * answer 409, a batch's webhooks are delivered in reverse half the time, and
 * one change in twenty has its first webhook delivered twice.
 *
 * The App's retry back-off waits move the emulator's clock instead of taking
 * time (the App's clock is GitHub's, see test/support/app.ts).
 */
import type { Failure } from '../../../src/app/jobs.js';
import type { ChaosFault } from '../../emulator/emulator.js';
import type { PersonInRepo } from '../../emulator/driver.js';
import type { Clock } from '../../emulator/clock.js';
import { startApp, ticket } from '../app.js';
import { differences, readEndState, readSides, ticketsOf, type EndState } from './compare.js';
import type { TicketState } from './model.js';
import { substream } from './random.js';
import { ASSIGNEES, GITHUB_PERSON, type Change, type Script } from './script.js';

export const FAULTS = {
  /** The share of the App's writes answered 502 (before or after the write). */
  writes: 0.05,
  /** The share of the App's ref updates answered 409. */
  refConflicts: 0.1,
  /** The share of batches whose webhooks are delivered last first. */
  reversed: 0.5,
  /** The share of changes whose first webhook is delivered twice. */
  duplicated: 0.05,
};

/** Every change is a second of its own on GitHub, whose times have a second's resolution: 2 s between them. */
const BETWEEN_CHANGES_MS = 2_000;

export interface Played {
  end: EndState;
  /** Once the App went quiet, [0] after the first push, [i] after batch i: the ticket files, and where a file and its issue disagreed. */
  afterBatch: { tickets: Record<string, TicketState>; unsynced: string[] }[];
  /** What the App's job queue reported of each failed run (`retry` or `drop`). */
  failures: { action: Failure['action']; why: string }[];
  /** The faults the emulator injected. */
  injected: ChaosFault[];
  /** How many webhooks were delivered, and how many requests the App made. */
  deliveries: number;
  requests: number;
  ms: number;
}

export async function play(script: Script, { faults }: { faults: boolean }): Promise<Played> {
  const started = Date.now();
  let clock: Clock | undefined;
  const failures: Played['failures'] = [];
  const { github, repo, person, quiet, fileOn } = await startApp({
    deps: {
      sleep: async (ms) => clock!.advance(ms),
      onError: (_, __, failure) => void failures.push({ action: failure.action, why: failure.why }),
    },
  });
  clock = github.clock;
  for (const login of ASSIGNEES) github.world.user(login);
  const chaos = substream(script.seed, 'chaos');
  const deliveries = substream(script.seed, 'deliveries');
  const injected = faults
    ? github.chaos({
        random: chaos.next,
        rules: [
          { rate: FAULTS.refConflicts, kinds: [409], methods: ['PATCH'], route: '/repos/{owner}/{repo}/git/refs/{ref}' },
          { rate: FAULTS.writes, kinds: [502, '502-after'] },
        ],
      })
    : [];

  person.push(Object.fromEntries(script.tickets.map((id) => [`tickets/${id}.json`, ticket(id)])), { message: 'Add the tickets' });
  await quiet();
  const issueOf = Object.fromEntries(script.tickets.map((id) => [id, linkOf(id, fileOn(`tickets/${id}.json`))]));
  const afterBatch: Played['afterBatch'] = [];
  const look = () => {
    const sides = readSides(github, repo);
    afterBatch.push({ tickets: ticketsOf(sides.files), unsynced: differences(sides) });
  };
  look();

  const onGitHub = github.as(GITHUB_PERSON).in(repo.fullName);
  for (const batch of script.batches) {
    github.webhooks.hold();
    for (const change of batch.changes) {
      github.clock.advance(BETWEEN_CHANGES_MS);
      if (faults && deliveries.chance(FAULTS.duplicated)) github.webhooks.duplicateNext(1);
      if (change.side === 'file') editFile(person, change, fileOn(`tickets/${change.ticket}.json`)!, github.clock.date());
      else editIssue(onGitHub, change, issueOf[change.ticket]!);
    }
    github.webhooks.release(faults && deliveries.chance(FAULTS.reversed) ? 'reverse' : 'fifo');
    await quiet();
    look();
  }
  return {
    end: readEndState(github, repo),
    afterBatch,
    failures,
    injected,
    deliveries: github.webhooks.deliveries.length,
    requests: github.log.filter((e) => e.actor === github.world.app.bot.login).length,
    ms: Date.now() - started,
  };
}

function linkOf(id: string, text: string | undefined): number {
  const issue = text === undefined ? undefined : (JSON.parse(text) as { github?: { issue?: number } }).github?.issue;
  if (issue === undefined) throw new Error(`${id} has no issue after the first sync`);
  return issue;
}

/** A person edits the ticket file on the default branch and pushes it, stamping `updated_at` with the time of the edit. */
function editFile(person: PersonInRepo, change: Change, text: string, now: Date): void {
  const doc = JSON.parse(text) as Record<string, any>;
  switch (change.field) {
    case 'title':
    case 'description':
    case 'status':
    case 'priority':
      doc[change.field] = change.value;
      break;
    case 'labels':
    case 'assignees': {
      const rest = ((doc[change.field] ?? []) as string[]).filter((x) => x !== change.value);
      doc[change.field] = change.op === 'add' ? [...rest, change.value] : rest;
      break;
    }
    case 'comments':
      doc.comments = [...(doc.comments ?? []), { id: change.id, author: change.author, body: change.body, created_at: now.toISOString() }];
      break;
  }
  doc.updated_at = now.toISOString();
  const path = `tickets/${change.ticket}.json`;
  person.push({ [path]: JSON.stringify(doc, null, 2) + '\n' }, { message: `${change.ticket}: ${change.field}` });
}

/** A person makes the change on the issue, as people do on GitHub (see script.ts for how a status is set there). */
function editIssue(person: PersonInRepo, change: Change, number: number): void {
  const issue = person.repo.issues.get(number)!;
  const swap = (prefix: RegExp, label: string) => person.editIssue(number, { labels: [...issue.labels.filter((l) => !prefix.test(l)), label] });
  switch (change.field) {
    case 'title':
      person.editIssue(number, { title: change.value });
      break;
    case 'description': {
      // The visible text is replaced; ticket-sync's hidden marker after it stays.
      const body = issue.body ?? '';
      const marker = body.search(/<!-- ticket-sync:id=/);
      person.editIssue(number, { body: marker < 0 ? change.value : `${change.value}\n\n${body.slice(marker)}` });
      break;
    }
    case 'status':
      if (change.value === 'done' || change.value === 'cancelled') person.closeIssue(number, change.value === 'done' ? 'completed' : 'not_planned');
      else if (change.value === 'reopened') person.reopenIssue(number);
      else swap(/^status:/i, `status: ${change.value.replace(/_/g, ' ')}`);
      break;
    case 'priority':
      swap(/^priority:/i, `priority: ${change.value}`);
      break;
    case 'labels':
      if (change.op === 'add') person.label(number, change.value);
      else if (issue.labels.some((l) => l.toLowerCase() === change.value)) person.unlabel(number, change.value);
      break;
    case 'assignees':
      if (change.op === 'add') person.assign(number, change.value);
      else person.unassign(number, change.value);
      break;
    case 'comments':
      person.comment(number, change.body);
      break;
  }
}
