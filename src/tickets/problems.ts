/** A problem with one place in one file: what `validate` prints and the store reports. */
export interface Problem {
  /** File path, relative to the ticket location's root unless stated otherwise. */
  path: string;
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count them for the BMP). */
  column: number;
  /** JSON pointer (RFC 6901) of the offending value; empty for the whole document. */
  pointer: string;
  message: string;
  code: ProblemCode;
}

export type ProblemCode =
  | 'invalid-json'
  | 'schema'
  | 'unsafe-id'
  | 'duplicate-id'
  | 'duplicate-link'
  | 'unreadable';

export type JsonPath = (string | number)[];

/** RFC 6901: `~` is written `~0`, `/` is written `~1`. */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** `path:line:col: message`, the form compilers use and editors link. */
export function formatProblem(problem: Problem, pathPrefix = ''): string {
  return `${pathPrefix}${problem.path}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** Problems in reading order: by path, then position. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column),
  );
}
