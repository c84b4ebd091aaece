/**
 * A JSON file as text: parsed strictly, every value locatable by line and
 * column, and edited in place so that an edit changes only the bytes of the
 * value it touches. Key order, indentation, newline style, a byte-order mark,
 * `ensure_ascii`-style escaping and unknown fields all survive.
 *
 * jsonc-parser gives the syntax tree with offsets and removes values cleanly;
 * insertion and replacement are done here, because its formatter reformats
 * siblings of an edited value.
 */
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { toPointer, type JsonPath, type Problem, type ProblemCode } from './problems.js';

export interface JsonStyle {
  bom: boolean;
  eol: '\n' | '\r\n';
  /** One level of indentation, or null for a file written on one line. */
  indent: string | null;
  /** What stands between a key and its value (`": "` in most files). */
  colon: string;
  /** Whether non-ASCII characters are written as `\uXXXX` escapes (Python's `ensure_ascii`). */
  ascii: boolean;
  /** Whether the file ends with a newline. */
  finalNewline: boolean;
}

export const DEFAULT_STYLE: JsonStyle = {
  bom: false,
  eol: '\n',
  indent: '  ',
  colon: ': ',
  ascii: false,
  finalNewline: true,
};

/** One change: set the value at `path`, or remove it when `value` is undefined. */
export interface JsonEdit {
  path: JsonPath;
  value: unknown;
}

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name (in double quotes) was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing brace } was expected',
  CloseBracketExpected: 'a closing bracket ] was expected',
  EndOfFileExpected: 'the document should end here',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'a control character must be escaped inside a string',
};

export type ParseResult = { ok: true; doc: JsonDocument } | { ok: false; problems: Problem[] };

export class JsonDocument {
  private lines: LineIndex | undefined;

  private constructor(
    readonly path: string,
    /** The text without its byte-order mark. */
    readonly text: string,
    readonly root: Node,
    readonly value: unknown,
    readonly style: JsonStyle,
  ) {}

  /** Parse strictly (no comments, no trailing commas). `asciiByDefault` decides for pure-ASCII files without escapes. */
  static parse(path: string, raw: string, asciiByDefault = false): ParseResult {
    const bom = raw.charCodeAt(0) === 0xfeff;
    const text = bom ? raw.slice(1) : raw;
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    if (errors.length > 0 || root === undefined) {
      const locator = new LineIndex(text);
      const found = errors.length > 0 ? errors : [{ error: 4, offset: 0, length: 0 } as ParseError];
      // The first error is the one that matters; later ones are usually its echoes.
      const first = found[0]!;
      const { line, column } = locator.at(first.offset);
      const name = printParseErrorCode(first.error);
      return {
        ok: false,
        problems: [
          {
            path,
            line,
            column,
            pointer: '',
            code: 'invalid-json',
            message: `invalid JSON: ${PARSE_MESSAGES[name] ?? name}${
              first.offset >= text.length ? ' (the file ends too early)' : ''
            }`,
          },
        ],
      };
    }
    const value = JSON.parse(text) as unknown;
    return { ok: true, doc: new JsonDocument(path, text, root, value, detectStyle(text, root, bom, asciiByDefault)) };
  }

  /** Line and column of the value at `path`, or of its deepest existing ancestor. */
  locate(path: JsonPath): { line: number; column: number } {
    let node: Node | undefined;
    for (let n = path.length; n >= 0 && node === undefined; n--) {
      node = n === 0 ? this.root : findNodeAtLocation(this.root, path.slice(0, n));
    }
    const offset = node?.parent?.type === 'property' ? node.parent.offset : (node?.offset ?? 0);
    this.lines ??= new LineIndex(this.text);
    return this.lines.at(offset);
  }

  /** A problem located at `path` in this document. */
  problem(path: JsonPath, message: string, code: ProblemCode = 'schema'): Problem {
    return { path: this.path, ...this.locate(path), pointer: toPointer(path), message, code };
  }

  /** The new file content after the edits, applied in order; the same text when there are none. */
  apply(edits: readonly JsonEdit[]): string {
    let text = this.text;
    for (const edit of edits) text = applyOne(text, edit, this.style);
    return (this.style.bom ? '\uFEFF' : '') + text;
  }
}

/** Serialise a whole new document in the given style. */
export function serialize(value: unknown, style: JsonStyle = DEFAULT_STYLE): string {
  const body = render(value, style, '', style.indent === null);
  return (style.bom ? '\uFEFF' : '') + body + (style.finalNewline ? style.eol : '');
}

class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

function detectStyle(text: string, root: Node, bom: boolean, asciiByDefault: boolean): JsonStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = text.trimEnd();
  let indent: string | null = null;
  if (body.includes('\n')) {
    const match = /\n([ \t]+)\S/.exec(body);
    indent = match ? match[1]! : '  ';
  }
  let colon = indent === null ? ':' : ': ';
  const firstProperty = findFirstProperty(root);
  if (firstProperty?.children?.length === 2) {
    const [key, value] = firstProperty.children as [Node, Node];
    colon = text.slice(key.offset + key.length, value.offset);
  }
  // eslint-disable-next-line no-control-regex
  const hasRawNonAscii = /[^\x00-\x7f]/.test(text);
  const hasEscapedNonAscii = /\\u(?:00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])[0-9a-fA-F]{2}/.test(text);
  const ascii = hasRawNonAscii ? false : hasEscapedNonAscii ? true : asciiByDefault;
  return { bom, eol, indent, colon, ascii, finalNewline: /\r?\n$/.test(text) };
}

function findFirstProperty(node: Node): Node | undefined {
  if (node.type === 'property') return node;
  for (const child of node.children ?? []) {
    const found = findFirstProperty(child);
    if (found) return found;
  }
  return undefined;
}

function escapeString(value: string, ascii: boolean): string {
  const json = JSON.stringify(value);
  return ascii ? json.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : json;
}

function render(value: unknown, style: JsonStyle, base: string, inline: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return escapeString(value, style.ascii);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const isArray = Array.isArray(value);
  const entries: [string | null, unknown][] = isArray
    ? (value as unknown[]).map((v) => [null, v])
    : Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  const inner = inline || style.indent === null ? '' : base + style.indent;
  const parts = entries.map(
    ([key, v]) => (key === null ? '' : escapeString(key, style.ascii) + style.colon) + render(v, style, inner, inline),
  );
  if (inline || style.indent === null) {
    const comma = style.indent === null ? ',' : ', ';
    return open + parts.join(comma) + close;
  }
  return open + style.eol + parts.map((p) => inner + p).join(',' + style.eol) + style.eol + base + close;
}

/** Leading white space of the line that holds `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function applyOne(text: string, edit: JsonEdit, style: JsonStyle): string {
  const root = parseTree(text)!;
  const node = findNodeAtLocation(root, edit.path);
  if (edit.value === undefined) {
    if (node === undefined) return text;
    return applyEdits(text, modify(text, edit.path, undefined, {}));
  }
  if (node !== undefined) {
    const oldText = text.slice(node.offset, node.offset + node.length);
    const keepInline = (node.type === 'object' || node.type === 'array') && !oldText.includes('\n') && oldText.length > 2;
    const content = render(edit.value, style, lineIndent(text, node.offset), keepInline);
    return text.slice(0, node.offset) + content + text.slice(node.offset + node.length);
  }
  const parentPath = edit.path.slice(0, -1);
  const last = edit.path[edit.path.length - 1]!;
  const parent = parentPath.length === 0 ? root : findNodeAtLocation(root, parentPath);
  if (parent === undefined) {
    // Create the missing parent with the value inside it.
    const wrapped = typeof last === 'number' ? [edit.value] : { [last]: edit.value };
    return applyOne(text, { path: parentPath, value: wrapped }, style);
  }
  if (parent.type === 'array' && typeof last === 'number' && last !== -1 && last !== (parent.children?.length ?? 0)) {
    throw new Error(`cannot insert at ${toPointer(edit.path)}: arrays only grow at the end`);
  }
  if (parent.type !== (typeof last === 'number' ? 'array' : 'object')) {
    throw new Error(`cannot set ${toPointer(edit.path)}: the parent is a ${parent.type}`);
  }
  return insertMember(text, parent, typeof last === 'number' ? null : last, edit.value, style);
}

function insertMember(text: string, container: Node, key: string | null, value: unknown, style: JsonStyle): string {
  const children = container.children ?? [];
  const containerText = text.slice(container.offset, container.offset + container.length);
  const inline = style.indent === null || (children.length > 0 && !containerText.includes('\n'));
  const member = (indent: string) =>
    (key === null ? '' : escapeString(key, style.ascii) + style.colon) + render(value, style, indent, inline);
  if (children.length > 0) {
    const lastChild = children[children.length - 1]!;
    const at = lastChild.offset + lastChild.length;
    let insertion: string;
    if (inline) {
      const comma = /,\s/.test(containerText) || (style.indent !== null && children.length === 1) ? ', ' : ',';
      insertion = comma + member('');
    } else {
      const indent = lineIndent(text, lastChild.offset);
      insertion = ',' + style.eol + indent + member(indent);
    }
    return text.slice(0, at) + insertion + text.slice(at);
  }
  const [open, close] = container.type === 'array' ? ['[', ']'] : ['{', '}'];
  let replacement: string;
  if (style.indent === null) {
    replacement = open + member('') + close;
  } else {
    const base = lineIndent(text, container.offset);
    const inner = base + style.indent;
    replacement = open + style.eol + inner + member(inner) + style.eol + base + close;
  }
  return text.slice(0, container.offset) + replacement + text.slice(container.offset + container.length);
}
