import { z } from 'zod';
import { PRIORITIES, STATUSES, TICKET_TYPES } from './vocabulary.js';

/** Why an id is refused, or undefined when it is safe to use as a file name and in a marker. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'an id cannot be empty';
  if (id.length > 200) return `an id is at most 200 characters (this one has ${id.length})`;
  if (id === '.' || id === '..') return `the id "${id}" would escape the ticket directory`;
  if (/[/\\]/.test(id)) return `the id ${JSON.stringify(id)} holds a path separator`;
  if (id.includes('\0')) return `the id ${JSON.stringify(id)} holds a NUL character`;
  // C0 and C1 control characters, DEL, and the line/paragraph separators.
  if (/[\u0001-\u001f\u007f-\u009f\u2028\u2029]/.test(id)) {
    return `the id ${JSON.stringify(id)} holds a control character`;
  }
  if (id !== id.trim()) return `the id ${JSON.stringify(id)} starts or ends with white space`;
  if (id.includes('-->')) return `the id ${JSON.stringify(id)} holds "-->", which would end an HTML comment marker`;
  return undefined;
}

/** A ticket id: a non-empty string that cannot escape a directory or break a marker. */
export const TicketId = z.string().superRefine((id, ctx) => {
  const problem = idProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const Status = z.enum(STATUSES).meta({ description: 'Canonical status.' });
export const Priority = z.enum(PRIORITIES).meta({ description: 'Canonical priority.' });
export const TicketType = z.enum(TICKET_TYPES).meta({ description: 'Kind of work item.' });

export const Comment = z
  .object({
    /** Stable id of the comment within its ticket. */
    id: TicketId.meta({ description: 'Stable id of the comment within its ticket.' }),
    /** Who wrote it: a local name or a GitHub login. */
    author: z.string().meta({ description: 'Who wrote it: a local name or a GitHub login.' }),
    /** Markdown text. */
    body: z.string().meta({ description: 'Markdown text.' }),
    /** When it was written, as the format stores it (ISO 8601 where the format has it); empty when unknown. */
    created_at: z.string().meta({ description: 'When it was written, as stored; empty when unknown.' }),
    /** When it was last edited, where known. */
    updated_at: z.string().optional().meta({ description: 'When it was last edited, where known.' }),
  })
  .strict();
export type Comment = z.infer<typeof Comment>;

export const GitHubLink = z
  .object({
    /** The issue number in the synced repository. */
    issue: z.number().int().positive().meta({ description: 'The issue number in the synced repository.' }),
    /** The issue's web address. */
    url: z.string().optional().meta({ description: "The issue's web address." }),
  })
  .strict();
export type GitHubLink = z.infer<typeof GitHubLink>;

/**
 * The one canonical ticket every format is read into and written from.
 * Timestamps are kept as the format wrote them (ISO 8601 in our own format).
 */
export const Ticket = z
  .object({
    /** Unique id within the ticket location (`TSK-0001`, `CLAUDE-20250721120000`, `7.2` …). */
    id: TicketId.meta({ description: 'Unique id within the ticket location.' }),
    /** Kind of work item. */
    type: TicketType,
    /** One-line summary; the issue title on GitHub. */
    title: z.string().meta({ description: 'One-line summary; the issue title on GitHub.' }),
    /** Markdown body; the issue body on GitHub. */
    description: z.string().meta({ description: 'Markdown body; the issue body on GitHub.' }),
    status: Status,
    priority: Priority,
    /** Who works on it: local names or GitHub logins. */
    assignees: z.array(z.string()).meta({ description: 'Who works on it: local names or GitHub logins.' }),
    /** Free labels (managed `status:`/`priority:`/`type:` labels never appear here). */
    labels: z.array(z.string()).meta({ description: 'Free labels.' }),
    /** Id of the parent ticket (an epic for an issue, an issue for a task). */
    parent: TicketId.optional().meta({ description: 'Id of the parent ticket.' }),
    /** Ids of the tickets this one is blocked by. */
    dependencies: z.array(TicketId).meta({ description: 'Ids of the tickets this one is blocked by.' }),
    comments: z.array(Comment),
    created_at: z.string().optional().meta({ description: 'Creation time as stored.' }),
    updated_at: z.string().optional().meta({ description: 'Last update time as stored.' }),
    /** Free object for whatever the team or its tools keep with the ticket. */
    metadata: z.record(z.string(), z.unknown()).meta({ description: 'Free object.' }),
    /**
     * Named fields of the ticket's own format that have no canonical home
     * (TicketManager `fiefdom`/`errors`/`warnings`, task-master `details`/`testStrategy`, …).
     */
    format_fields: z
      .record(z.string(), z.unknown())
      .meta({ description: "Fields of the ticket's own format that have no canonical home." }),
    /** The linked GitHub issue, once synced. */
    github: GitHubLink.optional(),
  })
  .strict();
export type Ticket = z.infer<typeof Ticket>;

/** What a caller gives to create a ticket: everything but the title may be left out. */
export const TicketDraft = Ticket.partial().required({ title: true });
export type TicketDraft = z.infer<typeof TicketDraft>;

/** The value of every field a ticket may leave out: fresh arrays and objects on each call. */
export function ticketDefaults() {
  return {
    type: 'task',
    description: '',
    status: 'open',
    priority: 'medium',
    assignees: [] as string[],
    labels: [] as string[],
    dependencies: [] as string[],
    comments: [] as Comment[],
    metadata: {} as Record<string, unknown>,
    format_fields: {} as Record<string, unknown>,
  } satisfies Partial<Ticket>;
}

/** Fill in the defaults of a draft. The id is chosen by the store when missing. */
export function completeDraft(draft: TicketDraft, id: string): Ticket {
  return Ticket.parse({ ...ticketDefaults(), ...stripUndefined(draft), id });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The canonical fields, in a fixed order (used by diffs and the field mapping). */
export const TICKET_FIELDS = Object.keys(Ticket.shape) as (keyof Ticket)[];
