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
