/**
 * GitHub's GraphQL schema as GitHub publishes it (`@octokit/graphql-schema`'s
 * `schema.graphql`), built once per process with graphql-js. Every GraphQL
 * request the emulator receives is validated against it, and every answer is
 * produced by executing against it, so a query GitHub would refuse is refused
 * here and an answer GitHub's types do not allow cannot be sent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSchema, GraphQLScalarType, validateSchema, type GraphQLSchema } from 'graphql';

const require = createRequire(import.meta.url);
const PACKAGE = '@octokit/graphql-schema';

/**
 * The package's SDL file. Its `exports` name only its ESM index, which also
 * parses the 5 MB introspection JSON on import; the file is found the way
 * Node finds the package, along the `node_modules` folders.
 */
function sdlFile(): string {
  for (const folder of require.resolve.paths(PACKAGE) ?? []) {
    const file = join(folder, PACKAGE, 'schema.graphql');
    if (existsSync(file)) return file;
  }
  throw new Error(`${PACKAGE} is not installed (npm install --save-dev ${PACKAGE})`);
}

/** GitHub's `DateTime`: "An ISO-8601 encoded UTC date string"; GitHub sends whole seconds (`2011-04-14T16:00:49Z`). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function build(): GraphQLSchema {
  // The published SDL defines two fields of `EnterpriseOwnerInfo` twice
  // (`repositoryDeployKeySetting`, `repositoryDeployKeySettingOrganizations`),
  // which graphql-js's SDL validation refuses; the definitions are built as
  // they are, and the schema built from them is then held to the type-system
  // rules (`validateSchema`), which that duplicate does not break.
  const schema = buildSchema(readFileSync(sdlFile(), 'utf8'), { assumeValidSDL: true });
  const problems = validateSchema(schema);
  if (problems.length > 0) throw new Error(`GitHub's GraphQL schema does not build: ${problems.map((p) => p.message).join('; ')}`);
  // Custom scalars built from SDL pass any value through; this one is what
  // the emulator answers with, so it is held to GitHub's format on the way out.
  const dateTime = schema.getType('DateTime');
  if (!(dateTime instanceof GraphQLScalarType)) throw new Error("GitHub's GraphQL schema has no DateTime scalar");
  dateTime.serialize = (value: unknown) => {
    if (typeof value !== 'string' || !DATE_TIME.test(value)) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}: not an ISO-8601 UTC time in whole seconds`);
    return value;
  };
  return schema;
}

let shared: GraphQLSchema | undefined;

/** Built on first use (~1 s), then shared by every emulator in the process. */
export function githubSchema(): GraphQLSchema {
  return (shared ??= build());
}
