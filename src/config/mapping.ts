/**
 * The mapping part of ticket-sync's configuration: how a ticket's fields show
 * on GitHub where the repository may choose (the managed label prefixes, the
 * assignee map, the metadata shown in the issue). These keys sit at the top
 * level of `.github/ticket-sync.yml` (see `Config` in `schema.ts`); the engine
 * that applies them is `src/sync/mapping/`.
 */
import { z } from 'zod';

/** A label prefix as labels are matched against it: lower case, its surrounding space optional. */
export function prefixKey(prefix: string): string {
  return prefix.trim().toLowerCase();
}

const labelPrefix = (fallback: string, what: string) =>
  z
    .string()
    .refine((p) => p.trim() !== '', { message: 'a label prefix cannot be blank' })
    .default(fallback)
    .meta({ description: `Prefix of the managed ${what} label. Default: "${fallback}".` });

export const MappingConfig = z
  .object({
    /**
     * Prefixes of the managed labels: `<prefix><value>`, e.g. `status: in
     * progress`, `priority: high`, `type: bug`. A label starting with one of
     * them (in any case, its trailing space optional) is never a free label.
     * No prefix may be blank, and none may start with another.
     */
    labels: z
      .object({
        /** Prefix of the status label (`status: in progress`, `status: blocked`, `status: review`). Default `status: `. */
        status: labelPrefix('status: ', 'status'),
        /** Prefix of the priority label (`priority: high`). Default `priority: `. */
        priority: labelPrefix('priority: ', 'priority'),
        /** Prefix of the type label (`type: bug`). Default `type: `. */
        type: labelPrefix('type: ', 'type'),
      })
      .strict()
      .prefault({})
      .refine(
        (labels) => {
          const keys = Object.values(labels).map(prefixKey);
          return keys.every((a, i) => keys.every((b, j) => i === j || !a.startsWith(b)));
        },
        { message: 'the managed label prefixes must differ, and none may start with another' },
      )
      .meta({ description: 'Prefixes of the managed labels.' }),
    /**
     * Local name → GitHub login. A name without an entry is used as the
     * login; a login is read back (in any case) as the name it stands for.
     * No login may be blank, and no two names may map to one login.
     */
    assignees: z
      .record(z.string(), z.string().refine((l) => l.trim() !== '', { message: 'a login cannot be blank' }))
      .default({})
      .refine((map) => new Set(Object.values(map).map((l) => l.toLowerCase())).size === Object.keys(map).length, {
        message: 'two local names cannot map to the same login',
      })
      .meta({ description: 'Local name → GitHub login; a name without an entry is used as the login.' }),
    /**
     * Metadata keys whose values are shown in the managed section,
     * after the format fields (read-only on GitHub). Default: none.
     */
    showMetadata: z
      .array(z.string())
      .default([])
      .meta({ description: "Metadata keys whose values are shown in the issue's managed section." }),
  })
  .strict();
export type MappingConfig = z.infer<typeof MappingConfig>;

/** The mapping with every default. */
export const DEFAULT_MAPPING: MappingConfig = MappingConfig.parse({});
