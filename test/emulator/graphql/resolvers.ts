/**
 * What the emulated GitHub answers over GraphQL: `repository(owner, name)` →
 * `issue(number)` → the issue's number, title, body, times, `author` and
 * `editor`, read from the same state the REST routes change. Values are
 * plain objects whose fields graphql-js's default resolver reads (a function
 * field is called with its arguments); execution against GitHub's schema
 * (`schema.ts`) decides what reaches the client.
 *
 * A repository or issue that does not exist, or that the caller may not see,
 * is null with GitHub's NOT_FOUND error, as GitHub answers it:
 * `{"type":"NOT_FOUND","path":["repository"],"locations":[…],"message":"Could not resolve to a Repository with the name 'x/y'."}`.
 */
import { GraphQLError } from 'graphql';
import type { Issue, Repo, User } from '../state.js';

/**
 * The fields the emulator answers, by the type they are selected on (an
 * interface's fields count for its implementations); `__typename` always.
 * A query for any other field is valid against GitHub's schema but not
 * implemented here, and refused as REST refuses an unimplemented route (501),
 * rather than answered with nulls GitHub would not send.
 */
export const IMPLEMENTED: Readonly<Record<string, readonly string[]>> = {
  Query: ['repository'],
  Repository: ['issue'],
  Issue: ['number', 'title', 'body', 'createdAt', 'updatedAt', 'lastEditedAt', 'editor', 'author'],
  Actor: ['login'],
  User: ['login'],
  Bot: ['login'],
  Organization: ['login'],
};

/** What the resolvers need from the request: the repository as the caller may see it. */
export interface GraphqlContext {
  /** The repository `owner/name`, or undefined when it does not exist or the caller may not see it (REST's 404). */
  repo(owner: string, name: string): Repo | undefined;
}

/** GitHub's error `type` for what does not exist or is hidden from the caller. */
export const NOT_FOUND = 'NOT_FOUND';

/** A field's error GitHub types with `type` (graphql-js carries it in `extensions`; the route puts it where GitHub does). */
function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: NOT_FOUND } });
}

/** The root value of a query: `Query`'s fields. */
export function rootValue(context: GraphqlContext) {
  return {
    repository({ owner, name }: { owner: string; name: string }) {
      const repo = context.repo(owner, name);
      if (!repo) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repository(repo);
    },
  };
}

function repository(repo: Repo) {
  return {
    issue({ number }: { number: number }) {
      const issue = repo.issues.get(number);
      // A pull request is an issue in REST, not in GraphQL's `issue(number:)`.
      if (!issue || issue.pull) throw notFound(`Could not resolve to an Issue with the number of ${number}.`);
      return issueNode(issue);
    },
  };
}

function issueNode(issue: Issue) {
  return {
    number: issue.number,
    title: issue.title,
    // `Issue.body` is `String!`: an issue opened without one has ''.
    body: issue.body ?? '',
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    lastEditedAt: issue.lastEditedAt,
    editor: issue.editor && actor(issue.editor),
    author: actor(issue.user),
  };
}

/**
 * An `Actor` (an interface: `__typename` picks the type). GraphQL names an
 * app's bot without REST's `[bot]` suffix: REST `ticket-sync[bot]` is the
 * `Bot` `ticket-sync`.
 */
function actor(user: User) {
  return user.type === 'Bot'
    ? { __typename: 'Bot', login: user.login.replace(/\[bot\]$/, '') }
    : { __typename: user.type, login: user.login };
}
