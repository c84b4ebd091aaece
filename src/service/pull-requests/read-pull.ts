/**
 * Step: what GitHub says of a pull request now, as the facts its phase is
 * decided from. The pull request is always read (its current head, draft,
 * merged); its reviews only on a review event (else as last read); the
 * checks on its head on a check event, or when its head is one whose checks
 * were never read while it is open and ready (else as last read).
 */
import picomatch from 'picomatch';
import { changesRequested, ciResult, readPull, requiredChecks, type CiResult, type PullsOctokit, type RemotePull } from '../../github/pulls.js';
import type { RepoRef } from '../../github/types.js';
import type { PullFacts } from '../../sync/pull-requests/phase.js';
import type { FollowedPull } from '../../sync/pull-requests/plan.js';
import type { PullSettings } from '../../config/pull-requests.js';

export interface PullRead {
  pull: RemotePull;
  facts: PullFacts;
  /** The checks' result on its head, as read now or before. */
  ci?: CiResult & { head: string; readAt: string };
}

export interface PullReadOptions {
  octokit: PullsOctokit;
  repo: RepoRef;
  number: number;
  /** Read its reviews, and the checks on its head. */
  review: boolean;
  ci: boolean;
  /** When the event happened: checks read after it already hold its result. */
  at: string;
  now: () => Date;
  record: FollowedPull | undefined;
  settings: PullSettings;
  defaultBranch: string;
  /** The App's own check run's name: never counted. */
  checkName: string;
}

export async function readPullFacts(o: PullReadOptions): Promise<PullRead> {
  const pull = await readPull(o.octokit, o.repo, o.number);
  const reviewed = o.review ? await changesRequested(o.octokit, o.repo, o.number) : (o.record?.changesRequested ?? false);
  const ready = pull.state === 'open' && !pull.draft;
  const known = o.record?.ci?.head === pull.head.sha ? o.record.ci : undefined;
  // A check event older than the last read of the head's checks adds nothing (CI sends several per result);
  // GitHub's times have whole seconds, so one in the read's own second may be newer than the read.
  const stale = known !== undefined && (!o.ci || Math.floor(Date.parse(known.readAt) / 1000) > Math.floor(Date.parse(o.at) / 1000));
  const ci = ready && !stale ? { ...(await checksOf(o, pull)), head: pull.head.sha, readAt: o.now().toISOString() } : known;
  const done = o.settings.doneBranches.length === 0 ? [o.defaultBranch] : o.settings.doneBranches;
  return {
    pull,
    facts: {
      state: pull.state,
      merged: pull.merged,
      draft: pull.draft,
      intoDoneBranch: picomatch.isMatch(pull.base.ref, done, { dot: true }),
      changesRequested: reviewed,
      ci: ci?.verdict ?? 'pending',
    },
    ...(ci ? { ci } : {}),
  };
}

/** The checks that count on the head: all of them, or only the required ones (from the branch's rules where readable, else `ci.checks`). */
async function checksOf(o: PullReadOptions, pull: RemotePull): Promise<CiResult> {
  const counts = o.settings.ci.requiredOnly ? ((await requiredChecks(o.octokit, o.repo, pull.base.ref)) ?? new Set(o.settings.ci.checks)) : undefined;
  return ciResult(o.octokit, o.repo, pull.head.sha, { ...(counts ? { counts } : {}), ignore: o.checkName });
}
