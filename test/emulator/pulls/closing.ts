/**
 * Closing keywords: what GitHub closes when commits reach the repository's
 * default branch. Source: docs.github.com/issues/tracking-your-work-with-issues/using-issues/linking-a-pull-request-to-an-issue
 * (github/docs `content/issues/tracking-your-work-with-issues/using-issues/linking-a-pull-request-to-an-issue.md`):
 *
 * - "You can link a pull request to an issue by using a supported keyword in
 *   the pull request's description or in a commit message." The keywords:
 *   close, closes, closed, fix, fixes, fixed, resolve, resolves, resolved
 *   (any case here, with an optional colon, as GitHub accepts `Fixes: #1`).
 *   The title is not named, so a title alone closes nothing; it closes
 *   through a commit message that carries it (a merge or squash commit's).
 * - "The special keywords in a pull request description are interpreted when
 *   the pull request targets the repository's default branch. However, if the
 *   PR's base is any other branch, then these keywords are ignored".
 * - Syntax: `KEYWORD #ISSUE-NUMBER`, `KEYWORD OWNER/REPOSITORY#ISSUE-NUMBER`;
 *   "Multiple issues: Use full syntax for each issue" (`Fixes #1, #2` closes
 *   #1 only). An issue's URL is accepted too (autolinked references).
 * - "You can also use closing keywords in a commit message. The issue will be
 *   closed when you merge the commit into the default branch": a push to the
 *   default branch closes what its new commits' messages name.
 * - "If you use a keyword to reference a pull request ... Merging the
 *   referencing pull request also closes the referenced pull request." (seen
 *   in the wild: GD4AI/obsidian-llm-wiki#695, where merging #689 closed PR
 *   #684). A referenced pull request is closed, not merged.
 *
 * Each issue is closed by the person who merged or pushed (the sender), as
 * `completed`, with its `closed` issue event and `issues.closed`, after the
 * push and `pull_request.closed`. The event's `commit_id` is the commit whose
 * message closed it ("When the commit_id is present, it identifies the commit
 * that closed the issue using closes / fixes #NN syntax", issue event types);
 * a close by a pull request's description has none (`commit_id: null`, as
 * observed in kamp-us/phoenix#4471). Closed issues stay as they are.
 *
 * Not emulated: issues in other repositories (`octo-org/octo-repo#100`), and
 * the linked-issue records (`closingIssuesReferences`).
 */
import type { Emulator } from '../emulator.js';
import { commitsBetween, ZERO_SHA } from '../git/services.js';
import { closeIssue } from '../issues/services.js';
import type { Repo, User } from '../state.js';
import { closePullRequest } from './services.js';
import type { PullIssue } from './shapes.js';

const KEYWORDS = 'close|closes|closed|fix|fixes|fixed|resolve|resolves|resolved';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The numbers of this repository that `text` closes with a keyword, in order, once each. */
export function closingReferences(emu: Emulator, repo: Repo, text: string): number[] {
  const urlBase = `(?:${escape(emu.urls.html)}|https://github\\.com)/([\\w.-]+)/([\\w.-]+)/issues/`;
  const pattern = new RegExp(`(?<![\\w/#-])(?:${KEYWORDS}):?[ \\t]+(?:([\\w.-]+)/([\\w.-]+))?#(\\d+)(?![\\w])|(?<![\\w/#-])(?:${KEYWORDS}):?[ \\t]+${urlBase}(\\d+)(?![\\w])`, 'gi');
  const self = repo.fullName.toLowerCase();
  const found: number[] = [];
  for (const m of text.matchAll(pattern)) {
    const [owner, name, number] = m[3] !== undefined ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
    if (owner !== undefined && `${owner}/${name}`.toLowerCase() !== self) continue;
    const n = Number(number);
    if (!found.includes(n)) found.push(n);
  }
  return found;
}

/** Numbers to close → the commit whose message names it (null: a pull request's description). */
type Targets = Map<number, string | null>;

function add(targets: Targets, numbers: readonly number[], commit: string | null): void {
  for (const n of numbers) if (!targets.has(n)) targets.set(n, commit);
}

function commitTargets(emu: Emulator, repo: Repo, targets: Targets, before: string, after: string): void {
  for (const commit of commitsBetween(emu, repo, before === ZERO_SHA ? [] : [before], after)) {
    add(targets, closingReferences(emu, repo, commit.message), commit.sha);
  }
}

function closeTargets(emu: Emulator, repo: Repo, sender: User, targets: Targets, closer?: PullIssue): void {
  for (const [number, commit] of targets) {
    const target = repo.issues.get(number);
    if (!target || target.state !== 'open' || target === closer) continue;
    if (target.pull) {
      closePullRequest(emu, repo, sender, number);
      continue;
    }
    closeIssue(emu, repo, sender, number, 'completed');
    const event = target.events.at(-1);
    if (commit !== null && event?.event === 'closed') event.commit_id = commit;
  }
}

/**
 * After a pull request is merged (its push and `pull_request.closed` sent):
 * into the default branch, close what its description and the messages of
 * the commits it brought name. `before`/`after`: the base branch around the merge.
 */
export function closeOnMerge(emu: Emulator, repo: Repo, sender: User, pr: PullIssue, before: string, after: string): void {
  if (pr.pull.base.ref !== repo.defaultBranch) return;
  const targets: Targets = new Map();
  add(targets, closingReferences(emu, repo, pr.body ?? ''), null);
  commitTargets(emu, repo, targets, before, after);
  closeTargets(emu, repo, sender, targets, pr);
}

const held = new WeakSet<Repo>();

/** Run a pull request's merge push without the push's closings: `closeOnMerge` makes them, after `pull_request.closed`. */
export function holdingClosings<T>(repo: Repo, push: () => T): T {
  held.add(repo);
  try {
    return push();
  } finally {
    held.delete(repo);
  }
}

/**
 * Pushes to the default branch close what their new commits' messages name,
 * and what the descriptions of pull requests the push merged name (a merge
 * made outside GitHub: the pulls services mark those merged before this runs).
 */
export function closingRoutes(emu: Emulator): void {
  emu.onRepoEvent((repo, event, sender, payload) => {
    const push = payload as { ref?: string; before?: string; after?: string };
    if (event !== 'push' || held.has(repo) || push.ref !== `refs/heads/${repo.defaultBranch}` || !push.after || push.after === ZERO_SHA) return;
    const targets: Targets = new Map();
    const merged = [...repo.issues.values()].filter(
      (i): i is PullIssue => i.pull?.merged === true && i.pull.merge_commit_sha === push.after && i.pull.base.ref === repo.defaultBranch,
    );
    for (const pr of merged) add(targets, closingReferences(emu, repo, pr.body ?? ''), null);
    commitTargets(emu, repo, targets, push.before ?? ZERO_SHA, push.after);
    closeTargets(emu, repo, sender, targets);
  });
}
