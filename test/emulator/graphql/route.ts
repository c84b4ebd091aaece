/**
 * GitHub's GraphQL endpoint: `POST /graphql` (api.github.com, and the
 * emulator's root base) and `POST /api/graphql` (GitHub Enterprise, whose
 * REST base is `/api/v3`: where `@octokit/graphql` posts for a base URL
 * ending in `/api/v3`).
 *
 * It joins the emulator's request pipeline as one more operation, so a
 * GraphQL request is logged (route `/graphql`), faulted (`fault('POST',
 * '/graphql', …)`), authenticated and counted against the caller's budget as
 * a REST request is. Its JSON envelope (`{query, variables?, operationName?}`)
 * is held to the request schema below; the document to GitHub's GraphQL
 * schema (`schema.ts`). A document GitHub would refuse is answered as GitHub
 * answers it, HTTP 200 with `errors` and no `data`, and recorded as a contract
 * violation, as an unknown REST route is. Execution (`resolvers.ts`) sees the
 * repositories the caller may see by REST's rules.
 *
 * Only queries are answered, and only the fields in `IMPLEMENTED`; any other
 * field (any mutation) is a 501, as an unimplemented REST route is.
 */
import {
  execute,
  GraphQLError,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
} from 'graphql';
import type { Emulator } from '../emulator.js';
import type { Operation } from '../contract.js';
import { HttpError, ok, type Handler, type RequestContext } from '../http.js';
import { githubSchema } from './schema.js';
import { IMPLEMENTED, NOT_FOUND, rootValue, type GraphqlContext } from './resolvers.js';

/** The route the request log, `fault()` and `beforeNext()` name GraphQL requests by. */
export const GRAPHQL_ROUTE = '/graphql';
/** The handler key of the GraphQL route (`<method> <route>`, as the emulator keys its handlers). */
export const GRAPHQL_KEY = `POST ${GRAPHQL_ROUTE}`;

const ENVELOPE = {
  type: 'object',
  required: ['query'],
  properties: {
    query: { type: 'string' },
    variables: { type: ['object', 'null'] },
    operationName: { type: ['string', 'null'] },
  },
  additionalProperties: false,
};

const LOCATION = { type: 'object', required: ['line', 'column'], properties: { line: { type: 'integer' }, column: { type: 'integer' } } };

/** What the emulator answers with: `data`, `errors`, or both (GitHub puts an error's `type` beside its `message`). */
const ANSWER = {
  type: 'object',
  properties: {
    data: { type: ['object', 'null'] },
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['message'],
        properties: {
          type: { type: 'string' },
          path: { type: 'array', items: { type: ['string', 'integer'] } },
          locations: { type: 'array', items: LOCATION },
          message: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
  },
  anyOf: [{ required: ['data'] }, { required: ['errors'] }],
  additionalProperties: false,
};

/**
 * The GraphQL endpoint as an operation of the emulator's contract: not in
 * GitHub's REST description, so described here in the same terms, for the
 * same request and response checks.
 */
export const GRAPHQL_OPERATION: Operation = {
  method: 'POST',
  route: GRAPHQL_ROUTE,
  operationId: 'graphql',
  pattern: /^(?:\/api)?\/graphql$/,
  params: [],
  spec: {
    operationId: 'graphql',
    requestBody: { required: true, content: { 'application/json': { schema: ENVELOPE } } },
    responses: { '200': { content: { 'application/json': { schema: ANSWER } } } },
  },
};

/**
 * The GraphQL operation when a request is for it: `POST /graphql` or
 * `POST /api/graphql`, by the path as it arrived (`/api/v3/graphql` is not
 * GitHub's endpoint). `params` is this request's own object: `ctx.params`,
 * which `ctx.repo()` reads.
 */
export function graphqlMatch(method: string, rawPath: string): { operation: Operation; params: Record<string, string> } | undefined {
  return method === 'POST' && GRAPHQL_OPERATION.pattern.test(rawPath) ? { operation: GRAPHQL_OPERATION, params: {} } : undefined;
}

interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** An error as GitHub writes it: `type` (NOT_FOUND, …) where it has one, `path`, `locations`, `message`. */
function githubError(error: GraphQLError): Record<string, unknown> {
  const type = error.extensions.type;
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}

/** `Type.field` for each field the document selects that the emulator does not answer (introspection aside). */
function unimplemented(document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(githubSchema());
  const missing = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType()?.name ?? '?';
        const name = node.name.value;
        if (name.startsWith('__') || parent.startsWith('__')) return;
        if (!IMPLEMENTED[parent]?.includes(name)) missing.add(`${parent}.${name}`);
      },
    }),
  );
  return [...missing];
}

/**
 * The repositories a request may see, by REST's rules: `ctx.repo()` resolves
 * `{owner}/{repo}` of `ctx.params` (the object `graphqlMatch` made for this
 * request) as it does for every route, so it is set and then asked. 404
 * (missing, or not the installation's) is "not there"; anything else (403
 * for the app's JWT) is the answer to the whole request, as in REST.
 */
function visibleTo(ctx: RequestContext): GraphqlContext {
  return {
    repo(owner, name) {
      Object.assign(ctx.params, { owner, repo: name });
      try {
        return ctx.repo();
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}

/** The handler of `POST /graphql`: parse, validate, execute. */
export function graphqlHandler(emu: Emulator): Handler {
  return async (ctx) => {
    const request = ctx.body as GraphqlRequest;
    /** A request GitHub refuses: HTTP 200, `errors` only; and a broken contract. */
    const refuse = (errors: readonly GraphQLError[]) => {
      emu.violations.push({ kind: 'request-body', where: GRAPHQL_KEY, message: `GraphQL: ${errors.map((e) => e.message).join('; ')}` });
      return ok({ errors: errors.map(githubError) });
    };

    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      if (error instanceof GraphQLError) return refuse([error]);
      throw error;
    }
    const schema = githubSchema();
    const invalid = validate(schema, document);
    if (invalid.length > 0) return refuse(invalid);
    const missing = unimplemented(document);
    if (missing.length > 0) throw new HttpError(501, `the emulator does not implement ${missing.join(', ')} over GraphQL`);

    const result = await execute({
      schema,
      document,
      rootValue: rootValue(visibleTo(ctx)),
      variableValues: request.variables ?? undefined,
      operationName: request.operationName ?? undefined,
    });
    // No `data` at all: execution never started (variables the operation refuses, no such operation).
    if (result.data === undefined) return refuse(result.errors ?? []);
    const errors = result.errors ?? [];
    const http = errors.map((e) => e.originalError).find((e): e is HttpError => e instanceof HttpError);
    if (http) throw http;
    // Anything but NOT_FOUND is the emulator answering what GitHub's schema does not allow (a null for a `!` field, a malformed DateTime).
    const broken = errors.filter((e) => e.extensions.type !== NOT_FOUND);
    if (broken.length > 0) {
      emu.violations.push({ kind: 'response-body', where: `${GRAPHQL_KEY} 200`, message: `GraphQL: ${broken.map((e) => `${e.path?.join('.') ?? ''}: ${e.message}`).join('; ')}` });
    }
    return ok(errors.length > 0 ? { data: result.data, errors: errors.map(githubError) } : { data: result.data });
  };
}
