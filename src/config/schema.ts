/**
 * ticket-sync's configuration: `.github/ticket-sync.yml` in the repository
 * (the App reads it with Probot's `context.config`; the CLI reads the file in
 * the working copy). Every key is optional.
 */
import { z } from 'zod';
import { FORMAT_NAMES } from '../tickets/formats/types.js';
import { MappingConfig } from '../sync/mapping.js';

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

export const Config = z
  .object({
    /** Where the tickets are and in which format. */
    tickets: TicketsConfig.default({}).meta({ description: 'Where the tickets are and in which format.' }),
    // How a ticket appears on GitHub: labels, assignees, showMetadata (see src/sync/mapping.ts).
    ...MappingConfig.shape,
  })
  .strict();

/** The mapping part of a configuration. */
export function mappingOf(config: Config): MappingConfig {
  return MappingConfig.parse({ labels: config.labels, assignees: config.assignees, showMetadata: config.showMetadata });
}
export type Config = z.infer<typeof Config>;
