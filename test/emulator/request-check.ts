/**
 * What the schema check alone lets through, and GitHub ignores silently:
 * request-body fields the description does not name (its schemas rarely say
 * `additionalProperties: false`), and query parameters it does not name or
 * whose values break their schema. In our code both are bugs: a field GitHub
 * drops is a change that never happens.
 */
import type { ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;
export type Resolve = (schema: unknown) => Json | undefined;

/** The schemas a value must fit at once or in the alternative, with `$ref`s followed. */
function branches(schema: unknown, resolve: Resolve): Json[] {
  const node = resolve(schema);
  if (node === undefined) return [];
  const nested = ['allOf', 'anyOf', 'oneOf'].flatMap((key) => ((node[key] as unknown[] | undefined) ?? []).flatMap((s) => branches(s, resolve)));
  return [node, ...nested];
}

/**
 * The paths of object fields in `value` that no schema in `schemas` names
 * (`/labels/0/colour`). An object schema naming no field at all, or allowing
 * additional ones, is free-form: anything goes inside it.
 */
export function unnamedFields(schemas: readonly unknown[], value: unknown, resolve: Resolve, at = ''): string[] {
  const all = schemas.flatMap((s) => branches(s, resolve));
  if (Array.isArray(value)) {
    const items = all.map((s) => s.items).filter((s) => s !== undefined);
    return items.length === 0 ? [] : value.flatMap((item, i) => unnamedFields(items, item, resolve, `${at}/${i}`));
  }
  if (value === null || typeof value !== 'object') return [];
  const named = new Map<string, unknown[]>();
  for (const s of all) for (const [name, sub] of Object.entries((s.properties as Json | undefined) ?? {})) named.set(name, [...(named.get(name) ?? []), sub]);
  const open = named.size === 0 || all.some((s) => (s.additionalProperties !== undefined && s.additionalProperties !== false) || s.patternProperties !== undefined);
  return Object.entries(value as Json).flatMap(([name, sub]) => {
    const known = named.get(name);
    if (known === undefined) return open ? [] : [`${at}/${name}`];
    return unnamedFields(known, sub, resolve, `${at}/${name}`);
  });
}

export interface QueryParameter {
  name: string;
  schema: unknown;
}

/** A query value as the JSON value it stands for: the text, a number, a boolean, or a comma-separated list. */
function readings(text: string): unknown[] {
  const out: unknown[] = [];
  if (/^-?\d+(\.\d+)?$/.test(text)) out.push(Number(text));
  if (text === 'true' || text === 'false') out.push(text === 'true');
  out.push(text.split(','));
  return out;
}

/**
 * Problems with a request's query string: a parameter the operation does
 * not name, or a value none of whose readings fits the parameter's schema.
 */
export function queryProblems(query: URLSearchParams, parameters: readonly QueryParameter[], validator: (p: QueryParameter) => ValidateFunction | undefined): string[] {
  const problems: string[] = [];
  for (const [name, text] of query) {
    const parameter = parameters.find((p) => p.name === name);
    if (parameter === undefined) {
      problems.push(`unknown query parameter ${name}`);
      continue;
    }
    const validate = validator(parameter);
    if (validate === undefined || validate(text)) continue;
    const why = validate.errors?.map((e) => e.message).join('; ') ?? 'does not fit its schema';
    if (!readings(text).some((reading) => validate(reading))) problems.push(`query parameter ${name}=${JSON.stringify(text)}: ${why}`);
  }
  return problems;
}
