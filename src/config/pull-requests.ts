/**
 * The pull-request part of ticket-sync's configuration: how pull requests
 * move the status of the tickets they link (`pullRequests`), which checks
 * count (`ci`), and the project board whose column follows a ticket's status
 * (`project`). These keys sit at the top level of `.github/ticket-sync.yml`
 * (see `Config` in `schema.ts`); the engine that applies them is
 * `src/sync/pull-requests/`.
 */
import { z } from 'zod';
import { STATUSES, type Status } from '../tickets/vocabulary.js';
import type { Config } from './schema.js';

/** The flags an `idPattern` is compiled with: ids match in any case, and the pattern is read as Unicode. */
export const ID_PATTERN_FLAGS = 'iu';

/** Why a pattern cannot be a ticket id pattern, or undefined when it can. */
export function idPatternProblem(pattern: string): string | undefined {
  let whole: RegExp;
  try {
    new RegExp(pattern, ID_PATTERN_FLAGS);
    whole = new RegExp(`^(?:${pattern})$`, ID_PATTERN_FLAGS);
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message})`;
  }
  if (whole.test('')) return 'the pattern matches the empty string; it must match a ticket id';
  return undefined;
}

const nonBlank = (what: string) => z.string().refine((s) => s.trim() !== '', { message: `${what} cannot be blank` });

/** A status word, or `false`: that transition is off. */
const statusOrOff = (fallback: Status, when: string) =>
  z
    .union([z.enum(STATUSES), z.literal(false)], { error: `expected a status (${STATUSES.join(', ')}) or false` })
    .default(fallback)
    .meta({ description: `The status a linked ticket moves to ${when}; false: no move. Default: "${fallback}".` });

export const TransitionsConfig = z
  .object({
    /** Opened as a draft, or converted to draft. Default `in_progress`. */
    draft: statusOrOff('in_progress', 'when its pull request is opened as a draft or converted to draft'),
    /** Opened ready for review, marked ready for review, or reopened (not a draft). Default `review`. */
    ready: statusOrOff('review', 'when its pull request is opened ready for review, marked ready, or reopened'),
    /** A reviewer's latest review requests changes. Default `in_progress`. */
    changesRequested: statusOrOff('in_progress', "when a reviewer's latest review requests changes"),
    /** The checks on the head failed. Default `in_progress`. */
    ciFailed: statusOrOff('in_progress', 'when the checks on the head fail'),
    /** The checks on the head passed after failing. Default `review`. */
    ciPassed: statusOrOff('review', 'when the checks on the head pass after a failure'),
    /** Merged into a done branch (closing links only). Default `done`. */
    merged: statusOrOff('done', 'when its pull request is merged into a done branch (closing links only)'),
    /** A merged revert of the pull request that closed it. Default `reopened`. */
    reverted: statusOrOff('reopened', 'when a revert of the pull request that closed it is merged'),
  })
  .strict();
export type TransitionsConfig = z.infer<typeof TransitionsConfig>;

export const PullRequestsConfig = z
  .object({
    /**
     * A regular expression (read in any case, as Unicode) of the text a
     * ticket id may be in a pull request's title, body and branch, matched
     * as a whole token. Without it, ids that are bare numbers or UUIDs are
     * never matched, only ids with letters (`TSK-0012`). It may not match
     * the empty string.
     */
    idPattern: z
      .string()
      .superRefine((pattern, ctx) => {
        const problem = idPatternProblem(pattern);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .meta({
        description:
          'Regular expression (case-insensitive, Unicode) of the text a ticket id may be in a pull request, matched as a whole token. Default: ids with letters (not bare numbers or UUIDs).',
      }),
    /** Globs of the base branches where a merge means done. Default: none, i.e. the repository's default branch only. */
    doneBranches: z
      .array(nonBlank('a branch glob'))
      .default([])
      .meta({ description: "Globs of the base branches where merged means done. Default: [] (the repository's default branch only)." }),
    /** The status each step of a pull request moves its linked tickets to; `false` turns a step off. */
    transitions: TransitionsConfig.prefault({}).meta({
      description: 'The status each step of a pull request moves its linked tickets to; false turns that step off.',
    }),
  })
  .strict();
export type PullRequestsConfig = z.infer<typeof PullRequestsConfig>;

/**
 * `false`, or the settings object. A union would report a wrong key deep in
 * the object at `pullRequests` itself, so an object is checked first and its
 * problems kept with their own paths.
 */
export const PullRequestsSetting = z.preprocess(
  (value, ctx) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const checked = PullRequestsConfig.safeParse(value);
      // Kept as zod reported them (code, path, keys, message); the union below then does not run.
      if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
    }
    return value;
  },
  z.union([z.literal(false), PullRequestsConfig], { error: 'expected false or the pull-request settings' }),
);

export const CiConfig = z
  .object({
    /** Only the base branch's required checks count. Default `false`: every check counts. */
    requiredOnly: z
      .boolean()
      .default(false)
      .meta({ description: "Only the base branch's required checks count. Default: false (every check counts)." }),
    /** The check and status names that count when `requiredOnly` is set and the branch's rules cannot be read. */
    checks: z
      .array(nonBlank('a check name'))
      .default([])
      .meta({ description: "Check and status names that count when requiredOnly is set and the branch's rules cannot be read." }),
  })
  .strict();
export type CiConfig = z.infer<typeof CiConfig>;

/** One option name, or names tried in order (the first the field has). */
const column = (fallback: string | string[]) =>
  z
    .union([nonBlank('an option name'), z.array(nonBlank('an option name')).min(1)], { error: 'expected an option name or a list of them' })
    .prefault(fallback)
    .meta({ description: `Option name(s) for this status, tried in order. Default: ${JSON.stringify(fallback)}.` });

export const ColumnsConfig = z
  .object({
    open: column('Todo'),
    reopened: column('Todo'),
    in_progress: column('In Progress'),
    blocked: column('In Progress'),
    review: column(['In Review', 'In Progress']),
    done: column('Done'),
    cancelled: column('Done'),
  })
  .strict();
export type ColumnsConfig = z.infer<typeof ColumnsConfig>;

export const ProjectConfig = z
  .object({
    /** The organization or user that owns the project. */
    owner: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, { message: 'expected a GitHub login' })
      .meta({ description: 'The organization or user login that owns the project.' }),
    /** The project's number (in its address). */
    number: z.number().int().positive().meta({ description: "The project's number, as in its address." }),
    /** Whether the owner is an organization or a user. Default `organization`. */
    ownerType: z
      .enum(['organization', 'user'])
      .default('organization')
      .meta({ description: 'Whether the owner is an organization or a user. Default: "organization".' }),
    /** The name of the project's single-select field the status sets. Default `Status`. */
    field: nonBlank('a field name')
      .default('Status')
      .meta({ description: "The name of the project's single-select field a ticket's status sets. Default: \"Status\"." }),
    /** Ticket status → the option name, or names tried in order. */
    columns: ColumnsConfig.prefault({}).meta({ description: "Ticket status → the field's option name, or a list of names tried in order." }),
  })
  .strict();
export type ProjectConfig = z.infer<typeof ProjectConfig>;

/** The resolved pull-request settings the App works with. */
export interface PullSettings {
  /** Compiled with `ID_PATTERN_FLAGS`. */
  idPattern?: RegExp;
  /** Empty: the repository's default branch only. */
  doneBranches: string[];
  transitions: TransitionsConfig;
  ci: CiConfig;
}

/** The pull-request settings of a configuration, or undefined when `pullRequests: false`. */
export function pullRequestsOf(config: Config): PullSettings | undefined {
  const settings = config.pullRequests;
  if (settings === false) return undefined;
  return {
    ...(settings.idPattern !== undefined ? { idPattern: new RegExp(settings.idPattern, ID_PATTERN_FLAGS) } : {}),
    doneBranches: [...settings.doneBranches],
    transitions: { ...settings.transitions },
    ci: { requiredOnly: config.ci.requiredOnly, checks: [...config.ci.checks] },
  };
}

/** A project board with each status's option names as a list. */
export type ProjectSettings = Omit<ProjectConfig, 'columns'> & { columns: Record<Status, string[]> };

/** The project board of a configuration, or undefined when it names none. */
export function projectOf(config: Config): ProjectSettings | undefined {
  const project = config.project;
  if (project === undefined) return undefined;
  const columns = Object.fromEntries(STATUSES.map((s) => [s, ([] as string[]).concat(project.columns[s])])) as Record<Status, string[]>;
  return { ...project, columns };
}
