/**
 * Projects (v2) as GitHub's REST API and webhooks show them: `projects-v2`,
 * `projects-v2-field`, `projects-v2-item-with-content` (with `fields` as the
 * description's example shows them: `{id, name, data_type, value}`), and the
 * webhooks' `projects-v2-item` and `organization-simple-webhooks`.
 */
import type { Emulator } from '../emulator.js';
import { issueJson, labelJson, issueLabels } from '../issues/shapes.js';
import { pullRequestSimpleJson, type PullIssue } from '../pulls/shapes.js';
import { nodeId, repoJson, userJson, type Urls } from '../shapes.js';
import type { User } from '../state.js';
import { selectedOption, type Project, type ProjectField, type ProjectItem, type SingleSelectOption } from './model.js';

/** `/orgs/{org}/projectsV2/{n}` or `/users/{username}/projectsV2/{n}`, on the API base. */
export function projectUrl(u: Urls, project: Project): string {
  return `${u.api}/${project.ownerKind === 'organization' ? 'orgs' : 'users'}/${encodeURIComponent(project.owner.login)}/projectsV2/${project.number}`;
}

export function projectJson(u: Urls, project: Project) {
  return {
    id: project.id,
    node_id: nodeId('ProjectV2', project.id),
    owner: userJson(u, project.owner),
    creator: userJson(u, project.creator),
    title: project.title,
    description: null,
    public: false,
    closed_at: null,
    created_at: project.created_at,
    updated_at: project.updated_at,
    number: project.number,
    short_description: null,
    deleted_at: null,
    deleted_by: null,
    state: 'open' as const,
    latest_status_update: null,
    is_template: false,
  };
}

const text = (s: string) => ({ raw: s, html: s });

/** A single-select option as REST shows it: `name` and `description` as `{raw, html}`. */
function optionJson(option: SingleSelectOption) {
  return { id: option.id, name: text(option.name), color: option.color, description: text(option.description) };
}

/** A single-select option as webhooks show it (`projects-v2-single-select-option`): plain strings. */
export function webhookOptionJson(option: SingleSelectOption) {
  return { id: option.id, name: option.name, color: option.color, description: option.description };
}

export function fieldNodeId(field: ProjectField): string {
  return nodeId(field.dataType === 'single_select' ? 'ProjectV2SingleSelectField' : 'ProjectV2Field', field.id);
}

export function fieldJson(u: Urls, project: Project, field: ProjectField) {
  return {
    id: field.id,
    node_id: fieldNodeId(field),
    project_url: projectUrl(u, project),
    name: field.name,
    data_type: field.dataType,
    ...(field.options ? { options: field.options.map(optionJson) } : {}),
    created_at: field.created_at,
    updated_at: field.updated_at,
  };
}

/** The value of one field for an item, as the items endpoints show it. */
function fieldValue(emu: Emulator, project: Project, item: ProjectItem, field: ProjectField): unknown {
  const { repo, issue } = item;
  switch (field.dataType) {
    case 'title':
      return {
        ...text(issue.title),
        number: issue.number,
        url: `${emu.urls.html}/${repo.fullName}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`,
        issue_id: issue.id,
        state: issue.state,
        state_reason: issue.state_reason,
        ...(issue.pull ? { is_draft: issue.pull.draft } : {}),
      };
    case 'assignees':
      return issue.assignees.map((login) => userJson(emu.urls, emu.world.user(login)));
    case 'labels':
      return issueLabels(repo, issue).map((l) => labelJson(emu.urls, repo, l));
    case 'milestone':
      return null;
    case 'repository':
      return repoJson(emu.urls, repo);
    case 'single_select': {
      const option = selectedOption(project, item, field);
      return option ? optionJson(option) : null;
    }
  }
}

/** The item's content: the issue (REST `issue`) or the pull request (`pull-request-simple`). */
export function contentJson(emu: Emulator, item: ProjectItem) {
  return item.issue.pull ? pullRequestSimpleJson(emu, item.repo, item.issue as PullIssue) : issueJson(emu.urls, item.repo, item.issue, emu.world);
}

function contentNodeId(item: ProjectItem): string {
  const pull = item.issue.pull;
  return pull ? nodeId('PullRequest', pull.id ?? item.issue.id) : nodeId('Issue', item.issue.id);
}

/** Without `content`: see the note on `POST …/items` in `routes.ts`. */
export function itemSimpleJson(emu: Emulator, project: Project, item: ProjectItem) {
  return {
    id: item.id,
    node_id: nodeId('ProjectV2Item', item.id),
    content_type: item.contentType,
    creator: userJson(emu.urls, item.creator),
    created_at: item.created_at,
    updated_at: item.updated_at,
    archived_at: item.archived_at,
    project_url: projectUrl(emu.urls, project),
    item_url: `${projectUrl(emu.urls, project)}/items/${item.id}`,
  };
}

/** `projects-v2-item-with-content`, with the values of `fields` (the project's fields, in its order). */
export function itemJson(emu: Emulator, project: Project, item: ProjectItem, fields: readonly ProjectField[]) {
  return {
    ...itemSimpleJson(emu, project, item),
    content: contentJson(emu, item),
    fields: fields.map((f) => ({ id: f.id, name: f.name, data_type: f.dataType, value: fieldValue(emu, project, item, f) })),
  };
}

/** The webhooks' `projects_v2_item`. */
export function webhookItemJson(u: Urls, project: Project, item: ProjectItem) {
  return {
    id: item.id,
    node_id: nodeId('ProjectV2Item', item.id),
    project_node_id: nodeId('ProjectV2', project.id),
    content_node_id: contentNodeId(item),
    content_type: item.contentType,
    creator: userJson(u, item.creator),
    created_at: item.created_at,
    updated_at: item.updated_at,
    archived_at: item.archived_at,
  };
}

/** `organization-simple-webhooks`. */
export function organizationJson(u: Urls, org: User) {
  const url = `${u.api}/orgs/${encodeURIComponent(org.login)}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${u.html}/avatars/u/${org.id}`,
    description: null,
  };
}
