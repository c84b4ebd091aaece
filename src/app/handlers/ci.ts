/**
 * `check_suite`, `check_run`, `workflow_run` completed and `status` events:
 * nudges. They only say "look again" at the pull requests whose head they
 * are about; the job reads the pull request's current head and the combined
 * result of its checks and decides from that. A pull request is found from
 * the event's `pull_requests`, or (a fork's head, a status) by head commit
 * among the followed pull requests; an event about no followed pull request
 * costs no request. Pending results change nothing.
 */
import type { Probot } from 'probot';
import { followedPulls } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import { CHECK_NAME } from '../verdict.js';
import type { Intake } from '../intake.js';
import { CheckRunEvent, CheckSuiteEvent, StatusEvent, WorkflowRunEvent } from '../payloads.js';

interface Nudge {
  repo: string;
  installation: number;
  branch?: string | undefined;
  sender?: string | undefined;
  sha: string;
  /** The pull request numbers the event names. */
  named: readonly number[];
  at: string;
  /** `check suite 991 failed on 3f2a1b2`. */
  reason: string;
}

export function handleChecks(app: Probot, intake: Intake, state: StateStore, now: () => Date, self: () => Promise<string>): void {
  const nudge = async (context: Parameters<Intake['accept']>[0], n: Nudge) => {
    const followed = Object.values((await followedPulls.get(state, n.repo)) ?? {});
    const pulls = followed.filter((p) => p.state === 'open' && (p.head === n.sha || n.named.includes(p.number))).map((p) => p.number);
    if (pulls.length === 0) return;
    await intake.accept(context, {
      scope: n.repo.toLowerCase(),
      targets: [{ installation: n.installation, repo: n.repo, ...(n.branch ? { branch: n.branch } : {}) }],
      ...(n.sender ? { sender: n.sender } : {}),
      work: { kind: 'event', reason: n.reason, pulls: pulls.map((number) => ({ number, at: n.at, reason: n.reason, review: false, ci: true, ciReason: n.reason })) },
    });
  };
  const common = (event: { repository: { full_name: string; default_branch?: string | undefined }; installation: { id: number }; sender?: { login: string } | undefined }) => ({
    repo: event.repository.full_name,
    installation: event.installation.id,
    branch: event.repository.default_branch,
    sender: event.sender?.login,
  });
  const outcome = (conclusion: string | null | undefined) => (conclusion === 'success' || conclusion === 'neutral' || conclusion === 'skipped' ? 'passed' : 'failed');
  const short = (sha: string) => sha.slice(0, 7);

  app.on('check_suite.completed', async (context) => {
    const event = intake.read(context, CheckSuiteEvent);
    if (!event || `${event.check_suite.app?.slug}[bot]` === (await self())) return; // its own suite is no nudge
    const s = event.check_suite;
    const at = s.updated_at ?? now().toISOString();
    await nudge(context, { ...common(event), sha: s.head_sha, named: s.pull_requests.map((p) => p.number), at, reason: `check suite ${s.id} ${outcome(s.conclusion)} on ${short(s.head_sha)}` });
  });
  app.on('check_run.completed', async (context) => {
    const event = intake.read(context, CheckRunEvent);
    if (!event || event.check_run.name === CHECK_NAME) return; // its own verdict is no nudge
    const r = event.check_run;
    const at = r.completed_at ?? now().toISOString();
    await nudge(context, { ...common(event), sha: r.head_sha, named: r.pull_requests.map((p) => p.number), at, reason: `check run "${r.name}" ${outcome(r.conclusion)} on ${short(r.head_sha)}` });
  });
  app.on('workflow_run.completed', async (context) => {
    const event = intake.read(context, WorkflowRunEvent);
    if (!event) return;
    const w = event.workflow_run;
    const at = w.updated_at ?? now().toISOString();
    await nudge(context, { ...common(event), sha: w.head_sha, named: w.pull_requests.map((p) => p.number), at, reason: `workflow run ${w.id} ${outcome(w.conclusion)} on ${short(w.head_sha)}` });
  });
  app.on('status', async (context) => {
    const event = intake.read(context, StatusEvent);
    if (!event || event.state === 'pending') return;
    const at = event.updated_at ?? now().toISOString();
    await nudge(context, { ...common(event), sha: event.sha, named: [], at, reason: `status "${event.context}" ${event.state === 'success' ? 'passed' : 'failed'} on ${short(event.sha)}` });
  });
}
