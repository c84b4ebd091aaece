/**
 * What the App reads of each webhook, as zod schemas: a payload without the
 * fields a handler needs is acknowledged and ignored with a warning naming
 * the field, instead of throwing halfway through a handler.
 */
import { z } from 'zod';

const Repository = z.object({
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
  default_branch: z.string().min(1).optional(),
});
const Installation = z.object({ id: z.number().int().positive() });
const Sender = z.object({ login: z.string().min(1) });

export const RepositoryEvent = z.object({ repository: Repository, installation: Installation, sender: Sender.optional() });

export const IssueEvent = RepositoryEvent.extend({
  action: z.string(),
  /** The issue as the change left it; its texts and time tell when an edit happened. */
  issue: z.object({
    number: z.number().int().positive(),
    title: z.string().optional(),
    body: z.string().nullable().optional(),
    updated_at: z.string().optional(),
  }),
  /** An `edited` event's texts before the edit: which of them the edit changed. */
  changes: z.object({ title: z.object({ from: z.string() }).optional(), body: z.object({ from: z.string().nullable() }).optional() }).optional(),
  sender: Sender,
});

export const PushEvent = RepositoryEvent.extend({
  ref: z.string(),
  before: z.string().regex(/^[0-9a-f]{40}$/),
  after: z.string().regex(/^[0-9a-f]{40}$/),
  created: z.boolean(),
  deleted: z.boolean(),
  forced: z.boolean(),
  commits: z.array(z.object({ added: z.array(z.string()).optional(), removed: z.array(z.string()).optional(), modified: z.array(z.string()).optional() })),
  head_commit: z.object({ tree_id: z.string() }).nullable().optional(),
  pusher: z.object({ name: z.string() }),
  repository: Repository.extend({ default_branch: z.string().min(1) }),
});

export const InstallationEvent = z.object({
  installation: Installation,
  repositories: z.array(z.object({ full_name: Repository.shape.full_name })).optional(),
  repositories_added: z.array(z.object({ full_name: Repository.shape.full_name })).optional(),
});

/** The payload as `schema` reads it, or why not: `issue.number: expected number, received undefined`. */
export function readPayload<T>(schema: z.ZodType<T>, payload: unknown): { ok: true; value: T } | { ok: false; problem: string } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problem = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}`).join('; ');
  return { ok: false, problem };
}

/** A pull request as its events carry it: what links it to tickets, and its time. */
const PullRequest = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().optional(),
  state: z.string(),
  draft: z.boolean().optional(),
  merged: z.boolean().nullable().optional(),
  updated_at: z.string(),
  merged_at: z.string().nullable().optional(),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string() }),
});

const WithHtmlUrl = Repository.extend({ html_url: z.string().optional() });

export const PullRequestEvent = RepositoryEvent.extend({ action: z.string(), pull_request: PullRequest, repository: WithHtmlUrl, sender: Sender });

export const PullRequestReviewEvent = PullRequestEvent.extend({
  review: z.object({ state: z.string(), submitted_at: z.string().nullable().optional() }),
});

/** The pull requests a check event names (empty for a fork's head: those are found by head commit). */
const NamedPulls = z.array(z.object({ number: z.number().int().positive(), head: z.object({ sha: z.string() }).optional() })).default([]);

export const CheckSuiteEvent = RepositoryEvent.extend({
  action: z.string(),
  check_suite: z.object({ id: z.number(), head_sha: z.string(), app: z.object({ slug: z.string().optional() }).nullable().optional(), conclusion: z.string().nullable().optional(), updated_at: z.string().nullable().optional(), pull_requests: NamedPulls }),
});

export const CheckRunEvent = RepositoryEvent.extend({
  action: z.string(),
  check_run: z.object({
    id: z.number(),
    name: z.string(),
    head_sha: z.string(),
    conclusion: z.string().nullable().optional(),
    completed_at: z.string().nullable().optional(),
    pull_requests: NamedPulls,
  }),
});

export const StatusEvent = RepositoryEvent.extend({
  sha: z.string(),
  state: z.string(),
  context: z.string(),
  updated_at: z.string().optional(),
});

export const WorkflowRunEvent = RepositoryEvent.extend({
  action: z.string(),
  workflow_run: z.object({ id: z.number(), head_sha: z.string(), conclusion: z.string().nullable().optional(), updated_at: z.string().optional(), pull_requests: NamedPulls }),
});

/** A card moved on a project board: which item, and the field's new value. */
export const ProjectItemEvent = z.object({
  action: z.string(),
  installation: Installation,
  sender: Sender,
  projects_v2_item: z.object({ id: z.number().int().positive(), updated_at: z.string() }),
  changes: z
    .object({
      field_value: z
        .object({
          field_name: z.string().optional(),
          field_type: z.string().optional(),
          project_number: z.number().int().optional(),
          to: z.object({ name: z.string() }).nullable().optional(),
        })
        .optional(),
    })
    .optional(),
});
