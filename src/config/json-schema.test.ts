import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText } from './json-schema.js';

describe('the configuration’s JSON Schema', () => {
  it('is committed exactly as the zod schema generates it (run `npm run schema` after changing the schema)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', 'ticket-sync.schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('describes every key with its documentation, and refuses unknown keys', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }>; additionalProperties: boolean };
    expect(Object.keys(schema.properties).sort()).toEqual(['assignees', 'ci', 'import', 'labels', 'project', 'pullRequests', 'showMetadata', 'tickets', 'writeBack']);
    for (const [key, value] of Object.entries(schema.properties)) expect(value.description, key).toMatch(/\w/);
    expect(schema.additionalProperties).toBe(false);
  });

  it('is a schema editors can use: it accepts a valid configuration and refuses a wrong one', () => {
    const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020').default as new (o: object) => { compile(s: object): (d: unknown) => boolean };
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());
    expect(validate({ tickets: { path: 'tickets', format: 'native' }, labels: { status: 'state/' }, assignees: { 'Ada Lovelace': 'ada' }, import: { label: 'triage' }, writeBack: 'pull_request' })).toBe(true);
    expect(validate({ writeBack: 'push' })).toBe(false);
    expect(validate({ tickets: { format: 'xml' } })).toBe(false);
    expect(validate({ unknown: 1 })).toBe(false);
    expect(validate({ pullRequests: false, ci: { requiredOnly: true }, project: { owner: 'acme', number: 3, columns: { review: ['In Review', 'Doing'] } } })).toBe(true);
    expect(validate({ pullRequests: { idPattern: 'TSK-\\d+', transitions: { merged: 'done', ciFailed: false } } })).toBe(true);
    expect(validate({ pullRequests: { transitions: { merged: 'finished' } } })).toBe(false);
    expect(validate({ project: { owner: 'acme', number: -1 } })).toBe(false);
  });
});
