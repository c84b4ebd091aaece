/**
 * aitrackdown JSON, as written by mcp-ticketer: `.aitrackdown/tickets/<id>.json`
 * with `tags`, `type`, `parent_epic`/`parent_issue`, `child_issues`, a single
 * `assignee` and free `metadata`; comments are files of their own
 * (aitrackdown-comments.ts). The location root is the `.aitrackdown` folder.
 * `blocked_by` (the ids of the tickets it is blocked by), `github`,
 * `additional_assignees` and `type` (an issue's or a bug's, see
 * aitrackdown-type.ts) live in `metadata` (a `metadata.dependencies` key is
 * free metadata); `estimated_hours` and `actual_hours` are format fields.
 * `child_issues` is kept as written (mcp-ticketer fills it when it creates a
 * child); files under `attachments/` are not ours.
 *
 * Words are mcp-ticketer's `TicketState` (open, in_progress, ready, tested,
 * done, waiting, blocked, closed) and `Priority` (low … critical). Times are
 * Python's naive `datetime.now().isoformat()` (mcp-ticketer's reader,
 * `datetime.fromisoformat` on Python 3.10, cannot read a `Z`); `updated_at`
 * moves whenever ticket-sync changes the ticket file, as `update()` moves it.
 */
import { z } from 'zod';
import { TicketId, type Ticket } from '../model.js';
import { compact, compactTimestamp, objectFileFormat, PYTHON_JSON_STYLE, takenIds } from './object-file.js';
import { attachComments, commentOps, COMMENT_FILE, newCommentFile } from './aitrackdown-comments.js';
import { aitrackdownType, newTypeWords } from './aitrackdown-type.js';
import {
  checkedFormatFields,
  external,
  freeObject,
  githubLink,
  list,
  plain,
  singleAssignee,
  StoredGitHubLink,
  text,
  type FieldCodec,
} from './record.js';
import { takenPaths } from '../safe-name.js';
import { inStyle, PYTHON_ISO, timestamp } from './timestamps.js';
import { CANONICAL_PRIORITY_WORDS, priority, PriorityWord, status, StatusWord, TypeWord } from './words.js';
import type { FileOp, LoadResult, LoadedTicket, SourceFile, TicketFormat } from './types.js';

const CLAIMED = ['github', 'blocked_by', 'additional_assignees', 'type'];
const TICKET_FILE = /^tickets\/[^/]+\.json$/;

const AitrackdownSchema = z.looseObject({
  id: TicketId,
  title: z.string(),
  description: z.string().nullable().optional(),
  status: StatusWord.optional(),
  priority: PriorityWord.optional(),
  tags: z.array(z.string()).optional(),
  type: TypeWord.optional(),
  parent_issue: TicketId.nullable().optional(),
  parent_epic: TicketId.nullable().optional(),
  child_issues: z.array(TicketId).optional(),
  assignee: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  estimated_hours: z.number().nullable().optional(),
  actual_hours: z.number().nullable().optional(),
  metadata: z
    .looseObject({
      github: StoredGitHubLink.optional(),
      blocked_by: z.array(TicketId).optional(),
      additional_assignees: z.array(z.string()).optional(),
      type: TypeWord.optional(),
    })
    .optional(),
});

/** aitrackdown's own fields without a canonical home, with the types its readers accept. */
const FORMAT_FIELDS = checkedFormatFields(
  'aitrackdown',
  { estimated_hours: AitrackdownSchema.shape.estimated_hours, actual_hours: AitrackdownSchema.shape.actual_hours },
  'a number or null',
);

/** The parent is `parent_issue` or `parent_epic`: the key already in use, else by type (a task's parent is an issue). */
const parent: FieldCodec<'parent'> = {
  read: (raw) => (raw.parent_issue as string | null | undefined) ?? (raw.parent_epic as string | null | undefined) ?? undefined,
  write: (next, raw, ticket) => {
    const inUse = raw.parent_issue != null ? 'parent_issue' : raw.parent_epic != null ? 'parent_epic' : undefined;
    if (next === undefined) {
      // Both keys may be set (mcp-ticketer does not forbid it): clearing the parent clears both, or the other would show through.
      return (['parent_issue', 'parent_epic'] as const).filter((k) => raw[k] != null).map((k) => ({ path: [k], value: null }));
    }
    return [{ path: [inUse ?? (ticket.type === 'task' ? 'parent_issue' : 'parent_epic')], value: next }];
  },
};

const STATUS = {
  open: 'open',
  in_progress: 'in_progress',
  blocked: 'blocked',
  review: 'ready',
  done: 'done',
  reopened: 'open',
  cancelled: 'closed',
} as const;

const ticketFiles = objectFileFormat({
  name: 'aitrackdown',
  title: 'aitrackdown JSON (mcp-ticketer)',
  owns: (path) => TICKET_FILE.test(path),
  schema: AitrackdownSchema,
  asciiByDefault: true,
  newFileStyle: PYTHON_JSON_STYLE,
  timeStyle: PYTHON_ISO,
  mapping: {
    id: plain(['id']),
    type: aitrackdownType,
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], STATUS),
    priority: priority(['priority'], CANONICAL_PRIORITY_WORDS),
    assignees: singleAssignee(['assignee'], ['metadata', 'additional_assignees']),
    labels: list(['tags']),
    parent,
    dependencies: list(['metadata', 'blocked_by']),
    comments: external(),
    created_at: timestamp(['created_at'], PYTHON_ISO, { nullWhenAbsent: true }),
    updated_at: timestamp(['updated_at'], PYTHON_ISO, { nullWhenAbsent: true }),
    metadata: freeObject(['metadata'], CLAIMED),
    format_fields: FORMAT_FIELDS.codec,
    github: githubLink(['metadata', 'github']),
  },
  toRecord: (t: Ticket, ctx) => {
    FORMAT_FIELDS.check(t.format_fields);
    const types = newTypeWords(t.type);
    const common = {
      id: t.id,
      title: t.title,
      description: t.description,
      status: STATUS[t.status],
      priority: t.priority,
      tags: t.labels,
    };
    const rest = {
      created_at: inStyle(t.created_at ?? PYTHON_ISO.format(ctx.now), PYTHON_ISO),
      updated_at: inStyle(t.updated_at ?? PYTHON_ISO.format(ctx.now), PYTHON_ISO),
      metadata: compact({
        ...t.metadata,
        github: t.github,
        blocked_by: t.dependencies.length > 0 ? t.dependencies : undefined,
        additional_assignees: t.assignees.length > 1 ? t.assignees.slice(1) : undefined,
        type: types.metadataType,
      }),
      type: types.type,
      // Not written by mcp-ticketer; kept after its keys when the ticket has them.
      estimated_hours: t.format_fields.estimated_hours,
      actual_hours: t.format_fields.actual_hours,
    };
    if (t.type === 'epic') {
      // An epic has no parent or assignee in mcp-ticketer; one that has them keeps them.
      return compact({ ...common, child_issues: [], parent_epic: t.parent, assignee: t.assignees[0], ...rest });
    }
    const parentKey = t.type === 'task' ? 'parent_issue' : 'parent_epic';
    return compact({
      ...common,
      parent_issue: parentKey === 'parent_issue' ? (t.parent ?? null) : null,
      parent_epic: parentKey === 'parent_epic' ? (t.parent ?? null) : null,
      assignee: t.assignees[0] ?? null,
      ...rest,
    });
  },
  newId: (draft, ctx) => {
    const taken = takenIds(ctx);
    const kind = draft.type === 'epic' ? 'epic' : 'task';
    const micros = ctx.now.getUTCMilliseconds() * 1000;
    for (let n = 0; ; n++) {
      const id = `${kind}-${compactTimestamp(ctx.now)}${String(micros + n).padStart(6, '0')}`;
      if (!taken.has(id)) return id;
    }
  },
  folder: 'tickets/',
});

export const aitrackdown: TicketFormat = {
  ...ticketFiles,
  owns: (path) => TICKET_FILE.test(path) || COMMENT_FILE.test(path),
  load(files: readonly SourceFile[]): LoadResult {
    const result = ticketFiles.load(files.filter((f) => TICKET_FILE.test(f.path)));
    attachComments(files, result);
    return result;
  },
  create(ticket, ctx): FileOp[] {
    const taken = takenPaths(ctx.files.keys());
    return [...ticketFiles.create({ ...ticket, comments: [] }, ctx), ...ticket.comments.map((c) => newCommentFile(ticket.id, c, taken))];
  },
  update(prev: LoadedTicket, next: Ticket, ctx): FileOp[] {
    const ops = ticketFiles.update(prev, { ...next, comments: prev.ticket.comments }, ctx);
    ops.push(...commentOps(prev, next, ctx));
    return ops;
  },
};
