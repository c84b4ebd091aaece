/**
 * Issue events, as GitHub's issue events API lists them (REST, List issue
 * events: `GET /repos/{owner}/{repo}/issues/{issue_number}/events`): the
 * record the issues services keep on each issue, and its JSON.
 *
 * Recorded for the changes the emulator makes: `renamed` (a title change; a
 * body edit has no event), `labeled`/`unlabeled`, `assigned`/`unassigned`,
 * `closed` and `reopened` (docs.github.com/rest/using-the-rest-api/issue-event-types).
 * Pull requests' issues record them as well.
 */
import type { Emulator } from '../emulator.js';
import { integrationJson } from '../pulls/shapes.js';
import { nodeId, userJson } from '../shapes.js';
import type { Issue, IssueEvent, IssueEventDetail, Repo, User } from '../state.js';

/** Record an event on the issue, by `sender`, at the emulator clock's time (second resolution, as `updated_at`). */
export function recordIssueEvent(emu: Emulator, issue: Issue, sender: User, detail: IssueEventDetail): void {
  issue.events.push({ id: emu.world.id(), actor: sender, created_at: emu.clock.iso(), ...detail });
}

/** GitHub's node ids name the event's GraphQL type: `RenamedEvent`, `LabeledEvent`, … */
function graphqlType(event: IssueEvent['event']): string {
  return `${event[0]!.toUpperCase()}${event.slice(1)}Event`;
}

/**
 * `performed_via_github_app`: the installed app's integration object when its
 * bot made the change (an installation token), null for a person.
 *
 * The description requires the field on every event. Most event schemas take
 * it as `nullable-integration`; `assigned-issue-event` takes `integration`,
 * which in `@octokit/openapi` 23.0.2 is nullable as well, so null validates
 * everywhere (and a closed/reopened event, whose `state-change-issue-event` is
 * missing from the `issue-event-for-issue` anyOf, passes through the branches
 * that need no event-specific field, such as `added-to-project-issue-event`).
 * The app's object is chosen for its bot because GitHub names the app an
 * action was performed through; it validates against both schemas.
 */
function performedVia(emu: Emulator, actor: User) {
  return actor.id === emu.world.app.bot.id ? integrationJson(emu, emu.world.app) : null;
}

/** The `issue-event-for-issue` JSON of one event. */
export function issueEventJson(emu: Emulator, repo: Repo, event: IssueEvent) {
  const u = emu.urls;
  const common = {
    id: event.id,
    node_id: nodeId(graphqlType(event.event), event.id),
    url: `${u.api}/repos/${repo.fullName}/issues/events/${event.id}`,
    actor: userJson(u, event.actor),
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.created_at,
  };
  const via = performedVia(emu, event.actor);
  switch (event.event) {
    case 'renamed':
      return { ...common, rename: { ...event.rename }, performed_via_github_app: via };
    case 'labeled':
    case 'unlabeled':
      return { ...common, label: { ...event.label }, performed_via_github_app: via };
    case 'assigned':
    case 'unassigned':
      return { ...common, assignee: userJson(u, event.assignee), assigner: userJson(u, event.actor), performed_via_github_app: via };
    case 'closed': {
      // "When the commit_id is present, it identifies the commit that closed the issue using closes / fixes #NN syntax."
      const commit = event.commit_id ?? null;
      const commitUrl = commit === null ? null : `${u.api}/repos/${repo.fullName}/commits/${commit}`;
      return { ...common, commit_id: commit, commit_url: commitUrl, state_reason: event.state_reason, performed_via_github_app: via };
    }
    case 'reopened':
      return { ...common, performed_via_github_app: via };
  }
}
