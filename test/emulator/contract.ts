/**
 * GitHub's published REST description (`@octokit/openapi`'s
 * `api.github.com.json`, read directly: its index loads every variant) and
 * webhook schemas (`@octokit/openapi-webhooks`). Every request the emulator
 * receives is matched to an operation and its body checked; every webhook
 * payload it sends is checked; its own responses can be checked too.
 *
 * OpenAPI 3.0's `nullable` is rewritten as JSON Schema's `null` type once, on
 * load, so that ajv can compile the schemas as they are.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { queryProblems, unnamedFields, type QueryParameter } from './request-check.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type Method = Uppercase<(typeof METHODS)[number]>;

/** Parameters whose values may hold slashes (`contents/{path}`, `git/refs/{ref}`, `compare/{basehead}`, a branch as `git/trees/{tree_sha}`). */
const GREEDY = new Set(['path', 'ref', 'basehead', 'tree_sha']);

export interface Operation {
  method: Method;
  /** Path template, as GitHub documents it: `/repos/{owner}/{repo}/issues/{issue_number}`. */
  route: string;
  operationId: string;
  pattern: RegExp;
  params: string[];
  spec: Json;
}

export interface Violation {
  kind: 'unknown-route' | 'request-body' | 'request-query' | 'response-body' | 'webhook-payload';
  where: string;
  message: string;
}

function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) {
    node.forEach(rewriteNullable);
    return node;
  }
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  for (const value of Object.values(object)) rewriteNullable(value);
  if (object.nullable === true) {
    delete object.nullable;
    if (typeof object.type === 'string') {
      object.type = [object.type, 'null'];
      if (Array.isArray(object.enum) && !object.enum.includes(null)) object.enum.push(null);
    } else {
      const rest = { ...object };
      for (const key of Object.keys(object)) delete object[key];
      object.anyOf = [rest, { type: 'null' }];
    }
  }
  return node;
}

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

function loadDescription(pkg: string, id: string): Json {
  const text = readFileSync(packageFile(pkg, 'generated/api.github.com.json'), 'utf8');
  return rewriteNullable(JSON.parse(text.replaceAll('"#/components/', `"${id}#/components/`))) as Json;
}

function explain(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ');
}

/** Loaded once per process: parsing is ~200 ms, each schema compiles on first use. */
export class Contract {
  private static shared: Contract | undefined;
  static get(): Contract {
    return (Contract.shared ??= new Contract());
  }

  private readonly rest = loadDescription('@octokit/openapi', 'gh');
  private readonly hooks = loadDescription('@octokit/openapi-webhooks', 'wh');
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly operations: Operation[] = [];

  private constructor() {
    addFormats(this.ajv);
    // GitHub writes bots' no-reply addresses (`<id>+<slug>[bot]@users.noreply.github.com`,
    // e.g. dependabot's commits) into `email` fields although brackets break RFC 5322.
    const email = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
    this.ajv.addFormat('email', (s: string) => email.test(s) || /^\d+\+[\w.-]+\[bot\]@users\.noreply\.github\.com$/.test(s));
    this.ajv.addSchema({ $id: 'gh', components: this.rest.components });
    this.ajv.addSchema({ $id: 'wh', components: this.hooks.components });
    for (const [route, item] of Object.entries(this.rest.paths as Record<string, Json>)) {
      const params: string[] = [];
      const source = route.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
        params.push(name);
        return GREEDY.has(name) ? '(.+)' : '([^/]+)';
      });
      for (const method of METHODS) {
        const spec = item[method] as Json | undefined;
        if (spec === undefined) continue;
        this.operations.push({
          method: method.toUpperCase() as Method,
          route,
          operationId: String(spec.operationId),
          pattern: new RegExp(`^${source}$`),
          params,
          spec,
        });
      }
    }
    // Literal segments win over parameters: /issues/comments before /issues/{issue_number}.
    const weight = (op: Operation) => op.route.split('/').filter((s) => s !== '' && !s.startsWith('{')).length;
    this.operations.sort((a, b) => weight(b) - weight(a) || b.route.length - a.route.length);
  }

  /** The operation a request is for, with its decoded path parameters. */
  match(method: string, path: string): { operation: Operation; params: Record<string, string> } | undefined {
    for (const operation of this.operations) {
      if (operation.method !== method) continue;
      const found = operation.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      operation.params.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1]!)));
      return { operation, params };
    }
    return undefined;
  }

  /** Whether any method is documented for this path (405 rather than 404 when so). */
  knowsPath(path: string): boolean {
    return this.operations.some((op) => op.pattern.test(path));
  }

  private validator(key: string, schema: () => unknown): ValidateFunction | undefined {
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const source = schema();
    if (source === undefined) return undefined;
    const compiled = this.ajv.compile(source as object);
    this.compiled.set(key, compiled);
    return compiled;
  }

  /** A schema with its `$ref` followed (`gh#/components/schemas/…`). */
  private readonly resolve = (schema: unknown): Json | undefined => {
    let node = schema as Json | undefined;
    for (let hops = 0; typeof node?.$ref === 'string' && hops < 10; hops++) {
      const [id, pointer = ''] = (node.$ref as string).split('#');
      const root = id === 'wh' ? this.hooks : this.rest;
      node = pointer.split('/').slice(1).reduce<unknown>((at, key) => (at as Json | undefined)?.[key], root) as Json | undefined;
    }
    return node;
  };

  /**
   * Problems with a request body, or undefined when it fits the operation:
   * its schema, and no field the description does not name (GitHub ignores
   * those silently; in a client they are bugs).
   */
  checkRequest(operation: Operation, body: unknown): string | undefined {
    const requestBody = operation.spec.requestBody as Json | undefined;
    if (requestBody === undefined) {
      const sent = body !== null && typeof body === 'object' ? Object.keys(body) : [];
      return sent.length === 0 ? undefined : `fields the description does not name: ${sent.map((k) => `/${k}`).join(', ')}`;
    }
    if (body === undefined) return requestBody.required === true ? 'a request body is required' : undefined;
    const schema = (requestBody.content as Record<string, Json> | undefined)?.['application/json']?.schema;
    const validate = this.validator(`req ${operation.method} ${operation.route}`, () => schema);
    if (validate !== undefined && !validate(body)) return explain(validate.errors);
    const unnamed = schema === undefined ? [] : unnamedFields([schema], body, this.resolve);
    return unnamed.length === 0 ? undefined : `fields the description does not name: ${unnamed.join(', ')}`;
  }

  /** Problems with a request's query string: parameters the operation does not name, values that break their schema. */
  checkQuery(operation: Operation, query: URLSearchParams): string | undefined {
    const parameters = ((operation.spec.parameters as unknown[] | undefined) ?? [])
      .map((p) => this.resolve(p) as (QueryParameter & { in?: string }) | undefined)
      .filter((p): p is QueryParameter & { in: string } => p?.in === 'query');
    const key = `query ${operation.method} ${operation.route}`;
    const problems = queryProblems(query, parameters, (p) => this.validator(`${key} ${p.name}`, () => p.schema));
    return problems.length === 0 ? undefined : problems.join('; ');
  }

  /** Problems with a response body the emulator sends, or undefined when it fits. */
  checkResponse(operation: Operation, status: number, body: unknown): string | undefined {
    const responses = operation.spec.responses as Record<string, Json> | undefined;
    const response = responses?.[String(status)];
    if (response === undefined) return status >= 400 ? undefined : `status ${status} is not documented for ${operation.operationId}`;
    const validate = this.validator(`res ${operation.method} ${operation.route} ${status}`, () => {
      const content = response.content as Record<string, Json> | undefined;
      return content?.['application/json']?.schema;
    });
    if (validate === undefined || validate(body)) return undefined;
    return explain(validate.errors);
  }

  /** Problems with a webhook payload (`issues` + `opened` → schema `issues-opened`), or undefined. */
  checkWebhook(event: string, action: string | undefined, payload: unknown): string | undefined {
    const name = [event.replace(/_/g, '-'), action?.replace(/_/g, '-')].filter(Boolean).join('-');
    const hook = (this.hooks.webhooks as Record<string, Json>)[name];
    if (hook === undefined) return `no webhook schema named ${name}`;
    const validate = this.validator(`hook ${name}`, () => {
      const post = hook.post as Json;
      return ((post.requestBody as Json).content as Record<string, Json>)['application/json']!.schema;
    });
    if (validate!(payload)) return undefined;
    return explain(validate!.errors);
  }
}
