/**
 * A JSON file as text: parsed strictly, every value locatable by line and
 * column, and edited in place so that an edit changes only the bytes of the
 * value it touches. Key order, indentation, newline style, a byte-order mark,
 * `ensure_ascii`-style escaping and unknown fields all survive.
 *
 * jsonc-parser gives the syntax tree with offsets. Insertion, replacement and
 * removal are done here: its formatter reformats siblings of an edited value,
 * and its removal breaks CRLF files and one-line arrays.
 *
 * Duplicate keys are accepted, as `JSON.parse` accepts them, and the last one
 * wins everywhere: in `value`, in `locate` and for edits. Removing a key
 * removes every copy of it.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
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

  /**
   * Parse strictly (no comments, no trailing commas). Never throws: bad input
   * gives one `invalid-json` problem at the first error. `asciiByDefault`
   * decides for pure-ASCII files without escapes.
   */
  static parse(path: string, raw: string, asciiByDefault = false): ParseResult {
    const bom = raw.charCodeAt(0) === 0xfeff;
    const text = bom ? raw.slice(1) : raw;
    const errors: ParseError[] = [];
    let root: Node | undefined;
    try {
      root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    } catch {
      // jsonc-parser recurses once per level of nesting.
      return { ok: false, problems: [invalidJson(path, text, [], 'the values are nested too deeply')] };
    }
    let value: unknown;
    if (errors.length === 0 && root !== undefined) {
      try {
        value = JSON.parse(text) as unknown;
      } catch {
        // jsonc-parser accepted what JSON.parse rejects: report it rather than throw.
        errors.push({ error: 1 /* InvalidSymbol */, offset: 0, length: 0 });
      }
    }
    if (errors.length > 0 || root === undefined) {
      return { ok: false, problems: [invalidJson(path, text, errors)] };
    }
    return { ok: true, doc: new JsonDocument(path, text, root, value, detectStyle(text, root, bom, asciiByDefault)) };
  }

  /**
   * Line and column of the value at `path`, or of its deepest existing
   * ancestor. For an object member this is where its key starts.
   */
  locate(path: JsonPath): { line: number; column: number } {
    let node: Node | undefined;
    for (let n = path.length; n >= 0 && node === undefined; n--) {
      node = findNode(this.root, path.slice(0, n));
    }
    const offset = node?.parent?.type === 'property' ? node.parent.offset : (node?.offset ?? 0);
    this.lines ??= new LineIndex(this.text);
    return this.lines.at(offset);
  }

  /** A problem located at `path` in this document. */
  problem(path: JsonPath, message: string, code: ProblemCode = 'schema'): Problem {
    return { path: this.path, ...this.locate(path), pointer: toPointer(path), message, code };
  }

  /**
   * The new file content after the edits, applied in order; the same text when
   * there are none. Throws on an edit that cannot be made: a path through a
   * scalar, an array index past the end (arrays grow only by appending, with
   * index -1 or the length), or removing the whole document.
   */
  apply(edits: readonly JsonEdit[]): string {
    let text = this.text;
    for (const edit of edits) text = applyOne(text, edit, this.style);
    return (this.style.bom ? '\uFEFF' : '') + text;
  }
}

/** Serialise a whole new document in the given style. */
export function serialize(value: unknown, style: JsonStyle = DEFAULT_STYLE): string {
  const body = render(value, style, '', style.indent === null, defaultComma(style));
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

/** The one problem for text that is not JSON: the first error, pinned to the character at fault. */
function invalidJson(path: string, text: string, errors: readonly ParseError[], why?: string): Problem {
  let offset: number;
  let message: string;
  const first = errors[0];
  if (why !== undefined) {
    offset = 0;
    message = why;
  } else if (text.trim() === '' || first === undefined) {
    offset = 0;
    message = 'the file is empty';
  } else {
    offset = first.offset;
    const name = printParseErrorCode(first.error);
    message = PARSE_MESSAGES[name] ?? name;
    const trailingComma = trailingCommaBefore(text, first);
    if (trailingComma !== undefined) {
      offset = trailingComma;
      message = 'a trailing comma is not allowed';
    } else if (name === 'InvalidCharacter' || name === 'InvalidEscapeCharacter' || name === 'InvalidUnicode') {
      const fault = faultInString(text, first.offset);
      if (fault !== undefined) ({ offset, message } = fault);
    }
    if (offset >= text.length) message += ' (the file ends too early)';
  }
  const { line, column } = new LineIndex(text).at(offset);
  return { path, line, column, pointer: '', code: 'invalid-json', message: `invalid JSON: ${message}` };
}

/** Where the comma is, when the error is a `}` or `]` right after one. */
function trailingCommaBefore(text: string, error: ParseError): number | undefined {
  const name = printParseErrorCode(error.error);
  if (name !== 'PropertyNameExpected' && name !== 'ValueExpected') return undefined;
  const closer = text[error.offset];
  if (closer !== '}' && closer !== ']') return undefined;
  let i = error.offset - 1;
  while (i >= 0 && ' \t\r\n'.includes(text[i]!)) i--;
  return text[i] === ',' ? i : undefined;
}

/** The first raw control character or bad escape in the string starting at `start`. */
function faultInString(text: string, start: number): { offset: number; message: string } | undefined {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return undefined;
    if (c < 0x20) return { offset: i, message: PARSE_MESSAGES.InvalidCharacter! };
    if (c === 0x5c) {
      const next = text[i + 1] ?? '';
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, message: PARSE_MESSAGES.InvalidUnicode! };
      } else if (!'"\\/bfnrt'.includes(next) || next === '') {
        return { offset: i, message: PARSE_MESSAGES.InvalidEscapeCharacter! };
      }
      i++;
    }
  }
  return undefined;
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
  } else if (indent === null && findInlineGap(text, root)?.endsWith(' ')) {
    // No key to show the colon, but items separated by ", " (Python's default separators).
    colon = ': ';
  }
  // Python's ensure_ascii escapes U+007F too, so a raw one means the file is not escaped.
  // eslint-disable-next-line no-control-regex
  const hasRawNonAscii = /[^\x00-\x7e]/.test(text);
  // A `\u` escape of U+007F or above, preceded by an even number of backslashes
  // (`\\u00e9` is a backslash followed by the letters `u00e9`).
  const hasEscapedNonAscii =
    /(?:^|[^\\])(?:\\\\)*\\u(?:007[fF]|00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})/.test(
      text,
    );
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

/** The node at `path`; for a duplicated key, the last copy (the one `JSON.parse` keeps). */
function findNode(root: Node, path: JsonPath): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    if (typeof segment === 'string') {
      if (node.type !== 'object') return undefined;
      let found: Node | undefined;
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key?.value === segment && value !== undefined) found = value;
      }
      node = found;
    } else {
      if (node.type !== 'array' || !Number.isInteger(segment) || segment < 0) return undefined;
      node = node.children?.[segment];
    }
  }
  return node;
}

/** A JSON string literal; with `ascii`, U+007F and above become `\uXXXX` escapes, as Python's `ensure_ascii` writes them. */
function escapeString(value: string, ascii: boolean): string {
  const json = JSON.stringify(value);
  return ascii ? json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : json;
}

/** The separator between items written on one line, when the file shows none. */
function defaultComma(style: JsonStyle): string {
  return style.indent === null && !style.colon.endsWith(' ') ? ',' : ', ';
}

/** Like `JSON.stringify`: `toJSON` is called; undefined, functions and symbols are dropped from objects, null in arrays. */
function render(value: unknown, style: JsonStyle, base: string, inline: boolean, comma: string): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || isAbsent(value)) return 'null';
  if (typeof value === 'string') return escapeString(value, style.ascii);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') throw new TypeError('cannot write a bigint as JSON');
  const isArray = Array.isArray(value);
  const entries: [string | null, unknown][] = isArray
    ? (value as unknown[]).map((v) => [null, v])
    : Object.entries(value as Record<string, unknown>).filter(([, v]) => !isAbsent(v));
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  const oneLine = inline || style.indent === null;
  const inner = oneLine ? '' : base + style.indent;
  const parts = entries.map(
    ([key, v]) =>
      (key === null ? '' : escapeString(key, style.ascii) + style.colon) + render(v, style, inner, oneLine, comma),
  );
  if (oneLine) return open + parts.join(comma) + close;
  return open + style.eol + parts.map((p) => inner + p).join(',' + style.eol) + style.eol + base + close;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Leading white space of the line that holds `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function isOneLine(text: string, node: Node): boolean {
  return !text.slice(node.offset, node.offset + node.length).includes('\n');
}

/** The array or object that holds `node`. */
function containerOf(node: Node): Node | undefined {
  const parent = node.parent;
  return parent?.type === 'property' ? parent.parent : parent;
}

/** Whether a value at `node` must be written on one line to leave its container's layout alone. */
function inInlineContainer(text: string, node: Node): boolean {
  const container = containerOf(node);
  return container !== undefined && isOneLine(text, container);
}

/** The separator between the first two items of `node` when they are on one line. */
function inlineGap(text: string, node: Node): string | undefined {
  const [a, b] = node.children ?? [];
  if (a === undefined || b === undefined || node.type === 'property') return undefined;
  const gap = text.slice(a.offset + a.length, b.offset);
  return /^[ \t]*,[ \t]*$/.test(gap) ? gap : undefined;
}

/** The first separator between items on one line anywhere in the document. */
function findInlineGap(text: string, node: Node): string | undefined {
  const own = inlineGap(text, node);
  if (own !== undefined) return own;
  for (const child of node.children ?? []) {
    const found = findInlineGap(text, child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The separator this file puts between items written on one line: `container`'s own if it shows one. */
function inlineComma(text: string, root: Node, container: Node | undefined, style: JsonStyle): string {
  return (
    (container === undefined ? undefined : inlineGap(text, container)) ?? findInlineGap(text, root) ?? defaultComma(style)
  );
}

function applyOne(text: string, edit: JsonEdit, style: JsonStyle): string {
  const root = parseTree(text)!;
  const node = findNode(root, edit.path);
  if (edit.value === undefined) {
    if (node === undefined) return text;
    if (edit.path.length === 0) throw new Error('cannot remove the whole document');
    let next = removeNode(text, node);
    // A duplicated key: remove the earlier copies too, so the key is really gone.
    if (typeof edit.path[edit.path.length - 1] === 'string') {
      for (let copy = findNode(parseTree(next)!, edit.path); copy !== undefined; copy = findNode(parseTree(next)!, edit.path)) {
        next = removeNode(next, copy);
      }
    }
    return next;
  }
  if (node !== undefined) {
    const oldText = text.slice(node.offset, node.offset + node.length);
    const keepInline =
      style.indent === null ||
      ((node.type === 'object' || node.type === 'array') && (node.children?.length ?? 0) > 0 && !oldText.includes('\n')) ||
      inInlineContainer(text, node);
    const comma = inlineComma(text, root, node.type === 'object' || node.type === 'array' ? node : containerOf(node), style);
    const content = render(edit.value, style, lineIndent(text, node.offset), keepInline, comma);
    return text.slice(0, node.offset) + content + text.slice(node.offset + node.length);
  }
  const parentPath = edit.path.slice(0, -1);
  const last = edit.path[edit.path.length - 1]!;
  const parent = findNode(root, parentPath);
  if (parent === undefined) {
    if (typeof last === 'number' && last !== -1 && last !== 0) {
      throw new Error(`cannot insert at ${toPointer(edit.path)}: arrays only grow at the end`);
    }
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
  return insertMember(text, root, parent, typeof last === 'number' ? null : last, edit.value, style);
}

/** Remove an array element or object member together with one neighbouring comma. */
function removeNode(text: string, node: Node): string {
  const member = node.parent?.type === 'property' ? node.parent : node;
  const container = member.parent!;
  const children = container.children ?? [];
  const index = children.indexOf(member);
  let from: number;
  let to: number;
  if (children.length === 1) {
    // The only member: leave an empty `{}` or `[]`.
    from = container.offset + 1;
    to = container.offset + container.length - 1;
  } else if (index === 0) {
    // The first member: from it to the next one, so the next one takes its place and indentation.
    from = member.offset;
    to = children[1]!.offset;
  } else {
    // Any other: from the end of the previous member to its own end.
    const previous = children[index - 1]!;
    from = previous.offset + previous.length;
    to = member.offset + member.length;
  }
  return text.slice(0, from) + text.slice(to);
}

function insertMember(
  text: string,
  root: Node,
  container: Node,
  key: string | null,
  value: unknown,
  style: JsonStyle,
): string {
  const children = container.children ?? [];
  const inline =
    style.indent === null || (children.length > 0 ? isOneLine(text, container) : inInlineContainer(text, container));
  const comma = inlineComma(text, root, container, style);
  const member = (indent: string, inlineValue: boolean) =>
    (key === null ? '' : escapeString(key, style.ascii) + style.colon) + render(value, style, indent, inlineValue, comma);
  if (children.length > 0) {
    const lastChild = children[children.length - 1]!;
    const at = lastChild.offset + lastChild.length;
    let insertion: string;
    if (inline) {
      insertion = comma + member('', true);
    } else {
      const indent = lineIndent(text, lastChild.offset);
      // In a list of items written on one line each, the new item is written on one line too.
      const likeSibling =
        key === null &&
        (lastChild.type === 'object' || lastChild.type === 'array') &&
        (lastChild.children?.length ?? 0) > 0 &&
        isOneLine(text, lastChild);
      insertion = ',' + style.eol + indent + member(indent, likeSibling);
    }
    return text.slice(0, at) + insertion + text.slice(at);
  }
  const [open, close] = container.type === 'array' ? ['[', ']'] : ['{', '}'];
  let replacement: string;
  if (inline) {
    replacement = open + member('', true) + close;
  } else {
    const base = lineIndent(text, container.offset);
    const inner = base + style.indent!;
    replacement = open + style.eol + inner + member(inner, false) + style.eol + base + close;
  }
  return text.slice(0, container.offset) + replacement + text.slice(container.offset + container.length);
}
