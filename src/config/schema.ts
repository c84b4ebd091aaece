/**
 * ticket-sync's configuration: `.github/ticket-sync.yml` in the repository
 * (the App reads it with Probot's `context.config`; the CLI reads the file in
 * the working copy). Every key is optional.
 */
import { z } from 'zod';
import { FORMAT_NAMES } from '../tickets/formats/types.js';
import { MappingConfig } from './mapping.js';
import { CiConfig, ProjectConfig, PullRequestsSetting } from './pull-requests.js';

export const TicketsConfig = z
  .object({
    /** Folder of the tickets, relative to the repository root. Default: detected (see README, "Ticket formats"). */
    path: z
      .string()
      .min(1)
      .refine((p) => !p.split(/[\\/]/).includes('..') && !p.startsWith('/'), {
        message: 'must be a folder inside the repository (no "..", not absolute)',
      })
      .optional()
      .meta({ description: 'Folder of the tickets, relative to the repository root. Default: detected.' }),
    /** Format of the tickets in that folder. Default: detected from the folder and the files' shape. */
    format: z
      .enum(FORMAT_NAMES)
      .optional()
      .meta({ description: "Format of the tickets in that folder. Default: detected from the folder and the files' shape." }),
  })
  .strict();

/**
 * Which issues opened on GitHub without a ticket-sync marker become new
 * tickets: `all` of them, `none`, or only those carrying a label
 * (`{ label: "<name>" }`, matched without regard to case).
 */
export const ImportConfig = z.union([
  z.enum(['all', 'none']),
  z
    .object({
      label: z
        .string()
        .refine((l) => l.trim() !== '', { message: 'a label cannot be blank' })
        .meta({ description: 'Only issues carrying this label become tickets.' }),
    })
    .strict(),
], { error: 'expected "all", "none" or { label: "<name>" }' });
export type ImportConfig = z.infer<typeof ImportConfig>;

/**
 * Where the App writes ticket changes made on GitHub (issue edits, comments,
 * imports) back into the repository: `commit` straight onto the default
 * branch; `pull_request` onto the `ticket-sync/updates` branch, carried by one
 * open pull request into the default branch (for a protected default branch);
 * `off` not at all (the issues are still synced from the ticket files). The
 * CLI writes the working copy and is not affected.
 */
export const WriteBackConfig = z.enum(['commit', 'pull_request', 'off']);
export type WriteBackConfig = z.infer<typeof WriteBackConfig>;

export const Config = z
  .object({
    /** Where the tickets are and in which format. */
    tickets: TicketsConfig.default({}).meta({ description: 'Where the tickets are and in which format.' }),
    /**
     * Which issues opened on GitHub without a ticket-sync marker become new
     * tickets. Default `all`: people open issues expecting them to be tracked,
     * and an import is undone by deleting the ticket file.
     */
    import: ImportConfig.default('all').meta({
      description: 'Which issues opened on GitHub without a ticket-sync marker become new tickets: "all", "none", or { label: "<name>" }. Default: "all".',
    }),
    /**
     * Where the App writes ticket changes made on GitHub back: `commit` (the
     * default branch), `pull_request` (one open pull request from
     * `ticket-sync/updates`, for a protected default branch) or `off`.
     */
    writeBack: WriteBackConfig.default('commit').meta({
      description:
        'Where the App writes ticket changes made on GitHub back: "commit" (a commit on the default branch), "pull_request" (commits on the ticket-sync/updates branch, carried by one open pull request into the default branch; for a protected default branch) or "off" (nothing is written to the repository). Default: "commit".',
    }),
    // How a ticket appears on GitHub: labels, assignees, showMetadata (see ./mapping.ts).
    ...MappingConfig.shape,
    /**
     * How pull requests move the status of the tickets they link (see
     * ./pull-requests.ts): `false` turns that off. Default: on, with the
     * default transitions.
     */
    pullRequests: PullRequestsSetting.prefault({}).meta({
      description:
        'How pull requests move the status of the tickets they link (title, body, branch): false turns this off. Default: on, with the default transitions.',
    }),
    /** Which checks on a pull request's head count for the ciFailed and ciPassed transitions. */
    ci: CiConfig.prefault({}).meta({ description: "Which checks on a pull request's head count for the ciFailed and ciPassed transitions." }),
    /** A GitHub project whose single-select field follows each ticket's status. Default: none. */
    project: ProjectConfig.optional().meta({
      description: "A GitHub project (v2) whose single-select field follows each ticket's status. Default: none.",
    }),
  })
  .strict();

/** The mapping part of a configuration. */
export function mappingOf(config: Config): MappingConfig {
  return MappingConfig.parse({ labels: config.labels, assignees: config.assignees, showMetadata: config.showMetadata });
}
export type Config = z.infer<typeof Config>;
