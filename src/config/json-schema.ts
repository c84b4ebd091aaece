/**
 * The JSON Schema of `.github/ticket-sync.yml`, generated from the zod
 * schema so that the two never differ; shipped as `ticket-sync.schema.json`
 * for editor completion (`npm run schema` writes it, a test checks it).
 */
import { z } from 'zod';
import { Config } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Config, { io: 'input', unrepresentable: 'any' }),
    title: 'ticket-sync configuration (.github/ticket-sync.yml)',
  };
}

/** The schema file's text, as committed. */
export function configJsonSchemaText(): string {
  return JSON.stringify(configJsonSchema(), null, 2) + '\n';
}
