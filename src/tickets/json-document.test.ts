import fc from 'fast-check';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { difference } from '../../test/support/files.js';
import { DEFAULT_STYLE, JsonDocument, serialize, type JsonEdit, type JsonStyle } from './json-document.js';
import type { JsonPath } from './problems.js';

// ---------------------------------------------------------------------------
// Helpers

function parsed(raw: string, asciiByDefault = false): JsonDocument {
  const result = JsonDocument.parse('ticket.json', raw, asciiByDefault);
  if (!result.ok) throw new Error(`expected valid JSON, got ${JSON.stringify(result.problems)}`);
  return result.doc;
}

function edited(raw: string, edits: JsonEdit[], asciiByDefault = false): string {
  return parsed(raw, asciiByDefault).apply(edits);
}

function problemsOf(raw: string) {
  const result = JsonDocument.parse('ticket.json', raw);
  if (result.ok) throw new Error(`expected invalid JSON: ${JSON.stringify(raw)}`);
  return result.problems;
}

/** Start and end offsets of the value at `path`, found by jsonc-parser independently of the module. */
function span(text: string, path: JsonPath): { start: number; end: number } {
  const node = findNodeAtLocation(parseTree(text)!, path);
  if (node === undefined) throw new Error(`no value at ${JSON.stringify(path)}`);
  return { start: node.offset, end: node.offset + node.length };
}

/** Every string in a value, keys included. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  }
  return [];
}

function hasProperty(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasProperty);
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return false;
}

function hasLongArray(value: unknown): boolean {
  return Array.isArray(value) && (value.length > 1 || value.some(hasLongArray));
}

function hasNonEmptyContainer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return false;
}

/** What `JSON.parse` gives for a value written by `JSON.stringify` (-0 becomes 0, and so on). */
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** All paths to values below the root. */
function pathsIn(value: Json, prefix: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsIn(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsIn(v, [...prefix, k])]);
  }
  return [];
}

function containersIn(value: Json, kind: 'array' | 'object', prefix: JsonPath = []): JsonPath[] {
  const own = (kind === 'array') === Array.isArray(value) && value !== null && typeof value === 'object' ? [prefix] : [];
  if (Array.isArray(value)) return [...own, ...value.flatMap((v, i) => containersIn(v, kind, [...prefix, i]))];
  if (value !== null && typeof value === 'object') {
    return [...own, ...Object.entries(value).flatMap(([k, v]) => containersIn(v, kind, [...prefix, k]))];
  }
  return own;
}

function valueAt(value: Json, path: JsonPath): Json {
  let node: Json = value;
  for (const segment of path) node = (node as Record<string | number, Json>)[segment]!;
  return node;
}

/** The reference model of an edit, applied to a plain value. */
function applyToValue(value: Json, edit: JsonEdit): Json {
  const root = structuredClone(value);
  let node = root as Record<string | number, Json> | Json[];
  for (const [i, segment] of edit.path.slice(0, -1).entries()) {
    const next = edit.path[i + 1]!;
    const holder = node as Record<string | number, Json>;
    if (holder[segment] === undefined) holder[segment] = typeof next === 'number' ? [] : {};
    node = holder[segment] as Record<string | number, Json>;
  }
  const last = edit.path[edit.path.length - 1]!;
  if (edit.value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else if (last === -1) {
    (node as Json[]).push(edit.value as Json);
  } else {
    (node as Record<string | number, Json>)[last] = edit.value as Json;
  }
  return root;
}

// ---------------------------------------------------------------------------
// Arbitraries

const notSurrogate = (c: number) => c < 0xd800 || c > 0xdfff;

/** One character: mostly plain ASCII, often a character that needs care, sometimes any code point. */
const char = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '"', '\\', '/', '~', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f', '\u0080', 'é', 'ß',
      '中', '\u2028', '\u2029', '\ufeff', '\uffff', '😀', '𝄞',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0x80, max: 0x10ffff }).filter(notSurrogate).map((c) => String.fromCodePoint(c)),
  },
);
const text = fc.string({ unit: char, maxLength: 10 });
/** Keys that keep their insertion order in a JS object and are not `__proto__`. */
const key = text.filter((k) => k !== '__proto__' && !/^(?:0|[1-9]\d*)$/.test(k));
const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  text,
);
const { json, object: jsonObject } = fc.letrec<{ json: Json; array: Json[]; object: Record<string, Json> }>((tie) => ({
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('json'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('json'), { maxKeys: 4, noNullPrototype: true }),
}));

const anyStyle: fc.Arbitrary<JsonStyle> = fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  indent: fc.constantFrom('  ', '    ', '\t', null),
  colon: fc.constantFrom(': ', ':', ' : '),
  ascii: fc.boolean(),
  finalNewline: fc.boolean(),
});
const prettyStyle = anyStyle.filter((s) => s.indent !== null);

// ---------------------------------------------------------------------------

describe('round trips', () => {
  it('parses what serialize writes back to the same value, for any value and style', () => {
    fc.assert(
      fc.property(json, anyStyle, fc.boolean(), (value, style, asciiByDefault) => {
        const raw = serialize(value, style);
        const doc = parsed(raw, asciiByDefault);
        expect(doc.value).toEqual(normalized(value));
      }),
    );
  });

  it('returns exactly the input bytes, byte-order mark included, when there are no edits', () => {
    fc.assert(
      fc.property(json, anyStyle, fc.boolean(), (value, style, asciiByDefault) => {
        const raw = serialize(value, style);
        expect(parsed(raw, asciiByDefault).apply([])).toBe(raw);
      }),
    );
  });

  it('detects the style a document was written in, wherever the text shows it', () => {
    fc.assert(
      fc.property(json, anyStyle, fc.boolean(), (value, style, asciiByDefault) => {
        const detected = parsed(serialize(value, style), asciiByDefault).style;
        const multiLine = style.indent !== null && hasNonEmptyContainer(value);
        const codes = stringsIn(value).flatMap((s) => [...s].map((c) => c.codePointAt(0)!));
        expect(detected.bom).toBe(style.bom);
        expect(detected.finalNewline).toBe(style.finalNewline);
        expect(detected.indent).toBe(multiLine ? style.indent : null);
        expect(detected.eol).toBe(multiLine || style.finalNewline ? style.eol : '\n');
        // Without a key the colon cannot be seen; a one-line file's ", " between items suggests ": ".
        const commaShows = !multiLine && hasLongArray(value);
        const unseenColon = multiLine ? ': ' : commaShows && style.colon.endsWith(' ') ? ': ' : ':';
        expect(detected.colon).toBe(hasProperty(value) ? style.colon : unseenColon);
        if (codes.some((c) => c >= 0x80)) expect(detected.ascii).toBe(style.ascii);
        else if (!codes.includes(0x7f)) expect(detected.ascii).toBe(asciiByDefault);
      }),
    );
  });

  it('writes the same bytes again when it serialises the parsed value in the detected style', () => {
    fc.assert(
      fc.property(json, anyStyle, fc.boolean(), (value, style, asciiByDefault) => {
        const raw = serialize(value, style);
        const doc = parsed(raw, asciiByDefault);
        expect(serialize(doc.value, doc.style)).toBe(raw);
      }),
    );
  });

  it('writes only ASCII in ascii style and keeps non-ASCII raw otherwise', () => {
    fc.assert(
      fc.property(json, anyStyle, (value, style) => {
        const body = serialize(value, { ...style, bom: false });
        // eslint-disable-next-line no-control-regex
        if (style.ascii) expect(body).toMatch(/^[\x00-\x7e]*$/);
        else for (const s of stringsIn(value)) for (const c of s) if (c.codePointAt(0)! >= 0x80) expect(body).toContain(c);
      }),
    );
  });

  it('keeps a lone surrogate, which JSON.stringify escapes, through a round trip', () => {
    const raw = serialize({ broken: 'a\ud800b\udc00' });
    expect(raw).toBe('{\n  "broken": "a\\ud800b\\udc00"\n}\n');
    expect(parsed(raw).value).toEqual({ broken: 'a\ud800b\udc00' });
  });

  it('accepts exactly the texts JSON.parse accepts, and never throws', () => {
    const piece = fc.constantFrom(
      '{', '}', '[', ']', ',', ':', ' ', '\n', '\r\n', '\t', '"', '"a"', '"\\u00e9"', '"\\x"', '"\\', '1', '-', '0',
      '01', '1.5', '1e5', '.', 'true', 'tru', 'null', '//', '/*', '*/', '\u00a0', '\ufeff', '\u000b', '\u0001', 'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), (raw) => {
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(raw.replace(/^\uFEFF/, ''));
        } catch {
          valid = false;
        }
        const result = JsonDocument.parse('fuzz.json', raw);
        expect(result.ok).toBe(valid);
        if (result.ok) {
          expect(result.doc.value).toEqual(expected);
        } else {
          expect(result.problems).toHaveLength(1);
          const [problem] = result.problems;
          expect(problem!.code).toBe('invalid-json');
          expect(problem!.line).toBeGreaterThanOrEqual(1);
          expect(problem!.line).toBeLessThanOrEqual(raw.split('\n').length);
          expect(problem!.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('edit locality', () => {
  /** A pretty-printed object document, one of its existing paths, and a new value. */
  const replacement = fc
    .record({ value: jsonObject.filter((o) => Object.keys(o).length > 0), style: prettyStyle, pick: fc.nat(), next: json })
    .map(({ value, style, pick, next }) => {
      const paths = pathsIn(value);
      return { value, style, path: paths[pick % paths.length]!, next };
    });

  it('changes only the bytes of the value it replaces', () => {
    fc.assert(
      fc.property(replacement, ({ value, style, path, next }) => {
        const before = serialize(value, { ...style, bom: false });
        const after = edited(before, [{ path, value: next }]);
        const { start, end } = span(before, path);
        if (after !== before) {
          const diff = difference(before, after);
          expect(diff.start).toBeGreaterThanOrEqual(start);
          expect(diff.start + diff.before.length).toBeLessThanOrEqual(end);
        }
        expect(after.slice(0, start)).toBe(before.slice(0, start));
        expect(after.slice(after.length - (before.length - end))).toBe(before.slice(end));
        expect(parsed(after).value).toEqual(normalized(applyToValue(value, { path, value: next })));
      }),
    );
  });

  it('gives the same bytes as serialising the edited value, for any edit to a serialised document', () => {
    const edits = fc.record({ value: jsonObject, style: anyStyle, kind: fc.nat(4), pick: fc.nat(), keys: fc.tuple(key, key), next: json });
    fc.assert(
      fc.property(edits, fc.boolean(), ({ value, style, kind, pick, keys, next }, asciiByDefault) => {
        const raw = serialize(value, style);
        const doc = parsed(raw, asciiByDefault);
        const existing = pathsIn(value);
        const objects = containersIn(value, 'object');
        const arrays = containersIn(value, 'array');
        const fresh = (at: JsonPath, k: string) => {
          const holder = valueAt(value, at) as Record<string, Json>;
          let name = k;
          while (Object.hasOwn(holder, name)) name += '+';
          return name;
        };
        let edit: JsonEdit;
        if (kind === 0 && existing.length > 0) edit = { path: existing[pick % existing.length]!, value: next };
        else if (kind === 1 && existing.length > 0) edit = { path: existing[pick % existing.length]!, value: undefined };
        else if (kind === 2 && arrays.length > 0) edit = { path: [...arrays[pick % arrays.length]!, -1], value: next };
        else if (kind === 3) {
          const at = objects[pick % objects.length]!;
          edit = { path: [...at, fresh(at, keys[0]), keys[1], -1], value: next };
        } else {
          const at = objects[pick % objects.length]!;
          edit = { path: [...at, fresh(at, keys[0])], value: next };
        }
        expect(doc.apply([edit])).toBe(serialize(applyToValue(value, edit), doc.style));
      }),
    );
  });

  it('leaves every original byte in place when it inserts a key', () => {
    fc.assert(
      fc.property(jsonObject, prettyStyle, key, json, (value, style, name, next) => {
        fc.pre(!Object.hasOwn(value, name));
        const before = serialize(value, style);
        const after = edited(before, [{ path: [name], value: next }]);
        expect(difference(before, after).before).toBe('');
        expect(parsed(after).value).toEqual(normalized({ ...value, [name]: next }));
      }),
    );
  });

  it('leaves every original byte in place when it appends to an array', () => {
    fc.assert(
      fc.property(fc.array(json, { maxLength: 4 }), anyStyle, json, (items, style, next) => {
        const before = serialize({ id: 'T-1', items }, style);
        const after = edited(before, [{ path: ['items', -1], value: next }]);
        expect(difference(before, after).before).toBe('');
        expect(parsed(after).value).toEqual(normalized({ id: 'T-1', items: [...items, next] }));
      }),
    );
  });

  it('only deletes bytes, and keeps every other member whole, when it removes a key', () => {
    fc.assert(
      fc.property(
        jsonObject.filter((o) => Object.keys(o).length > 0),
        anyStyle,
        fc.nat(),
        (value, style, pick) => {
          const keys = Object.keys(value);
          const gone = keys[pick % keys.length]!;
          const before = serialize(value, { ...style, bom: false });
          const after = edited(before, [{ path: [gone], value: undefined }]);
          expect(difference(before, after).after).toBe('');
          const { [gone]: _removed, ...rest } = value;
          expect(parsed(after).value).toEqual(normalized(rest));
          const tree = parseTree(before)!;
          for (const k of keys.filter((k) => k !== gone)) {
            const property = findNodeAtLocation(tree, [k])!.parent!;
            expect(after).toContain(before.slice(property.offset, property.offset + property.length));
          }
        },
      ),
    );
  });

  it('keeps an inline sibling object exactly as written when it appends to a multi-line array', () => {
    const before = '{\n  "comments": [\n    {"time": "1", "text": "x"}\n  ]\n}\n';
    const after = edited(before, [{ path: ['comments', -1], value: { time: '2', text: 'y' } }]);
    expect(after).toBe('{\n  "comments": [\n    {"time": "1", "text": "x"},\n    {"time": "2", "text": "y"}\n  ]\n}\n');
  });

  it('keeps an inline object on one line when it sets a member inside it', () => {
    const before = '{\n  "comments": [\n    {"time": "1", "text": "x"}\n  ]\n}\n';
    expect(edited(before, [{ path: ['comments', 0, 'text'], value: { body: 'y', tags: [] } }])).toBe(
      '{\n  "comments": [\n    {"time": "1", "text": {"body": "y", "tags": []}}\n  ]\n}\n',
    );
    expect(edited(before, [{ path: ['comments', 0, 'by'], value: 'me' }])).toBe(
      '{\n  "comments": [\n    {"time": "1", "text": "x", "by": "me"}\n  ]\n}\n',
    );
  });

  it('keeps an empty object inside an inline object on one line when it fills it', () => {
    const before = '{\n  "log": [{"time": "1", "meta": {}}]\n}\n';
    expect(edited(before, [{ path: ['log', 0, 'meta', 'k'], value: 1 }])).toBe(
      '{\n  "log": [{"time": "1", "meta": {"k": 1}}]\n}\n',
    );
  });

  it('creates missing parents with the file indentation', () => {
    const before = '{\n    "id": "T-1"\n}';
    expect(edited(before, [{ path: ['metadata', 'github', 'number'], value: 7 }])).toBe(
      '{\n    "id": "T-1",\n    "metadata": {\n        "github": {\n            "number": 7\n        }\n    }\n}',
    );
    expect(edited(before, [{ path: ['links', -1], value: 'x' }])).toBe(
      '{\n    "id": "T-1",\n    "links": [\n        "x"\n    ]\n}',
    );
  });

  it('creates a missing parent inside an existing nested object with that object indentation', () => {
    const before = '{\n  "a": {\n    "b": 1\n  }\n}\n';
    expect(edited(before, [{ path: ['a', 'c', 'd'], value: true }])).toBe(
      '{\n  "a": {\n    "b": 1,\n    "c": {\n      "d": true\n    }\n  }\n}\n',
    );
  });

  it('fills an empty nested object across lines in a pretty file', () => {
    const before = '{\n  "a": 1,\n  "meta": {}\n}\n';
    expect(edited(before, [{ path: ['meta', 'k'], value: [1] }])).toBe(
      '{\n  "a": 1,\n  "meta": {\n    "k": [\n      1\n    ]\n  }\n}\n',
    );
  });

  it('applies several edits in order', () => {
    const before = '{\n  "a": 1,\n  "b": [],\n  "c": 3\n}\n';
    const after = edited(before, [
      { path: ['a'], value: 2 },
      { path: ['b', -1], value: 'x' },
      { path: ['c'], value: undefined },
      { path: ['b', -1], value: 'y' },
    ]);
    expect(after).toBe('{\n  "a": 2,\n  "b": [\n    "x",\n    "y"\n  ]\n}\n');
  });
});

describe('removal', () => {
  it('removes the first key of a pretty object without pulling the next one onto the brace line', () => {
    expect(edited('{\n  "a": 1,\n  "b": 2\n}\n', [{ path: ['a'], value: undefined }])).toBe('{\n  "b": 2\n}\n');
  });

  it('removes a middle and a last key with their commas', () => {
    const before = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n';
    expect(edited(before, [{ path: ['b'], value: undefined }])).toBe('{\n  "a": 1,\n  "c": 3\n}\n');
    expect(edited(before, [{ path: ['c'], value: undefined }])).toBe('{\n  "a": 1,\n  "b": 2\n}\n');
  });

  it('leaves {} when it removes the only key', () => {
    expect(edited('{\n  "a": {\n    "b": 1\n  }\n}\n', [{ path: ['a', 'b'], value: undefined }])).toBe('{\n  "a": {}\n}\n');
  });

  it('keeps CRLF intact when it removes the last element of an array', () => {
    expect(edited('[\r\n  1,\r\n  2\r\n]\r\n', [{ path: [1], value: undefined }])).toBe('[\r\n  1\r\n]\r\n');
  });

  it('removes the last element of a one-line array without gluing the others together', () => {
    expect(edited('[1,2]', [{ path: [1], value: undefined }])).toBe('[1]');
    expect(edited('{"a": [1, 2], "b": 3}', [{ path: ['a', 1], value: undefined }])).toBe('{"a": [1], "b": 3}');
    expect(edited('{"a": [1, 2, 3]}', [{ path: ['a', 0], value: undefined }])).toBe('{"a": [2, 3]}');
  });

  it('removes a whole task from a tasks array', () => {
    const before = '{\n  "tasks": [\n    {\n      "id": 1\n    },\n    {\n      "id": 2\n    }\n  ]\n}\n';
    expect(edited(before, [{ path: ['tasks', 1], value: undefined }])).toBe(
      '{\n  "tasks": [\n    {\n      "id": 1\n    }\n  ]\n}\n',
    );
  });

  it('does nothing when it removes a path that does not exist', () => {
    const before = '{\n  "a": [1]\n}\n';
    expect(edited(before, [{ path: ['b'], value: undefined }])).toBe(before);
    expect(edited(before, [{ path: ['a', 5], value: undefined }])).toBe(before);
    expect(edited(before, [{ path: ['x', 'y'], value: undefined }])).toBe(before);
  });
});

describe('style preservation', () => {
  it('writes CRLF in the text it inserts into a CRLF file', () => {
    const after = edited('{\r\n  "a": 1\r\n}\r\n', [{ path: ['meta'], value: { labels: ['x'] } }]);
    expect(after).toBe('{\r\n  "a": 1,\r\n  "meta": {\r\n    "labels": [\r\n      "x"\r\n    ]\r\n  }\r\n}\r\n');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps tabs when it inserts a key into a tab-indented file', () => {
    expect(edited('{\n\t"a": 1\n}\n', [{ path: ['b'], value: { c: [true] } }])).toBe(
      '{\n\t"a": 1,\n\t"b": {\n\t\t"c": [\n\t\t\ttrue\n\t\t]\n\t}\n}\n',
    );
  });

  it('keeps four-space indentation when it inserts a key', () => {
    expect(edited('{\n    "a": 1\n}', [{ path: ['b'], value: { c: 1 } }])).toBe(
      '{\n    "a": 1,\n    "b": {\n        "c": 1\n    }\n}',
    );
  });

  it('keeps a one-line file on one line', () => {
    const before = '{"a":1,"b":{"c":[]}}';
    const after = edited(before, [
      { path: ['d'], value: { e: [1, { f: 'g' }] } },
      { path: ['b', 'c', -1], value: { h: null } },
      { path: ['a'], value: [1, 2] },
    ]);
    expect(after).toBe('{"a":[1,2],"b":{"c":[{"h":null}]},"d":{"e":[1,{"f":"g"}]}}');
  });

  it('writes ", " between items in a one-line file that Python wrote with its default separators', () => {
    const before = '{"a": [1, 2], "b": 1}\n';
    expect(edited(before, [{ path: ['a'], value: [1, 2, 3] }, { path: ['c'], value: { x: 1, y: 2 } }])).toBe(
      '{"a": [1, 2, 3], "b": 1, "c": {"x": 1, "y": 2}}\n',
    );
  });

  it('takes the item separator from the structure, not from a comma inside a string', () => {
    expect(edited('{"a":"x, y"}', [{ path: ['b'], value: 1 }])).toBe('{"a":"x, y","b":1}');
  });

  it('writes \\u escapes, with surrogate pairs for astral characters, in a file Python wrote with ensure_ascii', () => {
    const before = '{\n  "title": "caf\\u00e9"\n}';
    const doc = parsed(before);
    expect(doc.style.ascii).toBe(true);
    expect(doc.apply([{ path: ['naïve'], value: 'na\u00efve \u{1F600} \u007f 中' }])).toBe(
      '{\n  "title": "caf\\u00e9",\n  "na\\u00efve": "na\\u00efve \\ud83d\\ude00 \\u007f \\u4e2d"\n}',
    );
  });

  it('recognises ensure_ascii escaping from a single escape of any width', () => {
    for (const escape of ['\\u007f', '\\u00e9', '\\u0100', '\\u4e2d', '\\uFFFF', '\\ud83d\\ude00']) {
      expect(parsed(`{"t": "x${escape}"}`).style.ascii).toBe(true);
    }
  });

  it('does not mistake an escaped backslash followed by u00e9 for an escape', () => {
    expect(parsed('{"path": "C:\\\\u00e9"}').style.ascii).toBe(false);
    expect(parsed('{"path": "C:\\\\\\u00e9"}').style.ascii).toBe(true);
  });

  it('uses asciiByDefault for a pure-ASCII file without escapes', () => {
    expect(parsed('{"a": "b"}', true).style.ascii).toBe(true);
    expect(parsed('{"a": "b"}', false).style.ascii).toBe(false);
    expect(edited('{"a": "b"}', [{ path: ['a'], value: 'é' }], true)).toBe('{"a": "\\u00e9"}');
  });

  it('writes raw UTF-8 in a file that has raw UTF-8, even when asciiByDefault is set', () => {
    const before = '{\n  "title": "café"\n}\n';
    expect(parsed(before, true).style.ascii).toBe(false);
    expect(edited(before, [{ path: ['note'], value: 'naïve 😀' }], true)).toBe(
      '{\n  "title": "café",\n  "note": "naïve 😀"\n}\n',
    );
  });

  it('keeps an inline array inline when it replaces it', () => {
    const labels = '{\n  "labels": ["a"],\n  "id": 1\n}\n';
    expect(edited(labels, [{ path: ['labels'], value: ['a', 'b'] }])).toBe('{\n  "labels": ["a", "b"],\n  "id": 1\n}\n');
    expect(edited(labels, [{ path: ['labels', -1], value: 'b' }])).toBe('{\n  "labels": ["a", "b"],\n  "id": 1\n}\n');
    const ids = '{\n  "ids": [1,2]\n}\n';
    expect(edited(ids, [{ path: ['ids'], value: [1, 2, 3] }])).toBe('{\n  "ids": [1,2,3]\n}\n');
  });

  it('follows the separator between key and value that the file uses', () => {
    for (const colon of [': ', ':', ' : ']) {
      const before = `{\n  "a"${colon}1\n}\n`;
      expect(parsed(before).style.colon).toBe(colon);
      expect(edited(before, [{ path: ['b'], value: { c: 2 } }])).toBe(
        `{\n  "a"${colon}1,\n  "b"${colon}{\n    "c"${colon}2\n  }\n}\n`,
      );
    }
  });

  it('keeps a missing final newline missing and a present one present', () => {
    expect(edited('{\n  "a": 1\n}', [{ path: ['a'], value: 2 }])).toBe('{\n  "a": 2\n}');
    expect(edited('{\n  "a": 1\n}\r\n', [{ path: ['a'], value: 2 }])).toBe('{\n  "a": 2\n}\r\n');
  });

  it('keeps the byte-order mark when it edits', () => {
    const after = edited('\uFEFF{\n  "a": 1\n}\n', [{ path: ['b'], value: 2 }]);
    expect(after).toBe('\uFEFF{\n  "a": 1,\n  "b": 2\n}\n');
  });

  it('keeps unknown fields and key order when it edits a known field', () => {
    const before = '{\n  "zeta": {"x": [1, 2]},\n  "id": "T-1",\n  "alpha": null,\n  "10": "ten"\n}\n';
    expect(edited(before, [{ path: ['id'], value: 'T-2' }])).toBe(
      '{\n  "zeta": {"x": [1, 2]},\n  "id": "T-2",\n  "alpha": null,\n  "10": "ten"\n}\n',
    );
  });

  it('keeps numbers written in a form JSON.stringify would not use', () => {
    const before = '{"a": 1.50, "b": 1E+2, "c": -0.0, "d": 12345678901234567890}';
    expect(edited(before, [{ path: ['e'], value: 1 }])).toBe(
      '{"a": 1.50, "b": 1E+2, "c": -0.0, "d": 12345678901234567890, "e": 1}',
    );
  });

  it('writes a Date as its ISO string, as JSON.stringify does', () => {
    expect(edited('{"a": 1}', [{ path: ['a'], value: new Date(Date.UTC(2026, 10, 23, 9, 30, 15, 123)) }])).toBe(
      '{"a": "2026-11-23T09:30:15.123Z"}',
    );
  });

  it('drops undefined members and writes null for undefined array items, as JSON.stringify does', () => {
    expect(serialize({ a: undefined, b: [undefined, 1] }, { ...DEFAULT_STYLE, indent: null, colon: ':' })).toBe(
      '{"b":[null,1]}\n',
    );
  });

  it('serialises in the default style with two spaces, LF and a final newline', () => {
    expect(serialize({ id: 'T-1', tags: ['a'], meta: {} })).toBe(
      '{\n  "id": "T-1",\n  "tags": [\n    "a"\n  ],\n  "meta": {}\n}\n',
    );
  });
});

describe('bad input', () => {
  it.each([
    ['truncated JSON', '{\n  "title": "x",\n  "tags": [\n', 4, 1, 'invalid JSON: a closing bracket ] was expected (the file ends too early)'],
    ['JSON cut off after a comma', '{\n  "tags": [1,\n', 3, 1, 'invalid JSON: a value was expected (the file ends too early)'],
    ['a truncated object', '{"a": 1', 1, 8, 'invalid JSON: a closing brace } was expected (the file ends too early)'],
    ['a trailing comma in an object', '{\n  "a": 1,\n}', 2, 9, 'invalid JSON: a trailing comma is not allowed'],
    ['a trailing comma in an array', '[1, 2, ]', 1, 6, 'invalid JSON: a trailing comma is not allowed'],
    ['a line comment', '{\n  // note\n  "a": 1\n}', 2, 3, 'invalid JSON: comments are not allowed in JSON'],
    ['a block comment', '{ /* note */ "a": 1 }', 1, 3, 'invalid JSON: comments are not allowed in JSON'],
    ['a stray character after the value', '{"a": 1} x', 1, 10, 'invalid JSON: unexpected character'],
    ['a stray character inside', '{\n  "a": @\n}', 2, 8, 'invalid JSON: unexpected character'],
    ['a second value', '{"a": 1}}', 1, 9, 'invalid JSON: the document should end here'],
    ['an empty file', '', 1, 1, 'invalid JSON: the file is empty'],
    ['a file of white space', '  \n\n', 1, 1, 'invalid JSON: the file is empty'],
    ['a lone byte-order mark', '\uFEFF', 1, 1, 'invalid JSON: the file is empty'],
    ['an unterminated string', '{\n  "a": "abc\n}', 2, 8, 'invalid JSON: unterminated string'],
    ['a string cut off by the end of the file', '{"a": "abc', 1, 7, 'invalid JSON: unterminated string'],
    ['a raw tab in a string', '{\n  "a": "x\ty"\n}', 2, 10, 'invalid JSON: a control character must be escaped inside a string'],
    ['a raw NUL in a string', '["ok", "ab\u0000"]', 1, 11, 'invalid JSON: a control character must be escaped inside a string'],
    ['an invalid escape', '{"a": "ab\\x"}', 1, 10, 'invalid JSON: invalid escape character'],
    ['an invalid \\u escape', '{"a": "ab\\u12g4"}', 1, 10, 'invalid JSON: invalid \\u escape'],
    ['single quotes', "{'a': 1}", 1, 2, 'invalid JSON: unexpected character'],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, 'invalid JSON: a comma was expected'],
    ['a leading zero', '[01]', 1, 3, 'invalid JSON: a comma was expected'],
    ['a non-breaking space', '{"a":\u00a01}', 1, 6, 'invalid JSON: unexpected character'],
    ['a second byte-order mark', '\uFEFF\uFEFF{}', 1, 1, 'invalid JSON: unexpected character'],
  ])('reports %s as one invalid-json problem at its line and column', (_name, raw, line, column, message) => {
    expect(problemsOf(raw)).toEqual([{ path: 'ticket.json', line, column, pointer: '', code: 'invalid-json', message }]);
  });

  it('counts lines in a CRLF file and columns after a byte-order mark from the text the user sees', () => {
    expect(problemsOf('\uFEFF{\r\n  "a": 1,\r\n}\r\n')[0]).toMatchObject({ line: 2, column: 9 });
  });

  it('reports a document nested too deeply for the parser instead of throwing', () => {
    const raw = '['.repeat(200_000) + ']'.repeat(200_000);
    const result = JsonDocument.parse('deep.json', raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toMatchObject([{ code: 'invalid-json', line: 1, column: 1 }]);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 40 }), (raw) => {
        const result = JsonDocument.parse('fuzz.json', raw);
        if (!result.ok) expect(result.problems).toHaveLength(1);
      }),
    );
  });
});

describe('locate and problem', () => {
  const raw = '\uFEFF{\n  "id": "T-1",\n  "meta": {\n    "tags": ["a", "b"],\n    "a/b": {"c~d": 1}\n  },\n  "list": [\n    10,\n    {"x": null}\n  ]\n}\n';
  const doc = parsed(raw);

  it('locates an object member at its key', () => {
    expect(doc.locate(['id'])).toEqual({ line: 2, column: 3 });
    expect(doc.locate(['meta', 'tags'])).toEqual({ line: 4, column: 5 });
    expect(doc.locate(['meta', 'a/b', 'c~d'])).toEqual({ line: 5, column: 13 });
  });

  it('locates array elements at the element', () => {
    expect(doc.locate(['meta', 'tags', 1])).toEqual({ line: 4, column: 19 });
    expect(doc.locate(['list', 0])).toEqual({ line: 8, column: 5 });
    expect(doc.locate(['list', 1, 'x'])).toEqual({ line: 9, column: 6 });
  });

  it('locates the root at its first character', () => {
    expect(doc.locate([])).toEqual({ line: 1, column: 1 });
  });

  it('falls back to the deepest existing ancestor for a missing path', () => {
    expect(doc.locate(['meta', 'missing', 'deeper'])).toEqual({ line: 3, column: 3 });
    expect(doc.locate(['list', 7])).toEqual({ line: 7, column: 3 });
    expect(doc.locate(['id', 'below-a-string'])).toEqual({ line: 2, column: 3 });
    expect(doc.locate(['list', 'not-an-index'])).toEqual({ line: 7, column: 3 });
    expect(doc.locate(['nothing'])).toEqual({ line: 1, column: 1 });
  });

  it('builds a problem with an RFC 6901 pointer, escaping ~ and /', () => {
    expect(doc.problem(['meta', 'a/b', 'c~d'], 'must be a string')).toEqual({
      path: 'ticket.json',
      line: 5,
      column: 13,
      pointer: '/meta/a~1b/c~0d',
      message: 'must be a string',
      code: 'schema',
    });
    expect(doc.problem(['list', 1], 'bad', 'duplicate-id')).toMatchObject({ pointer: '/list/1', code: 'duplicate-id', line: 9 });
    expect(doc.problem([], 'empty')).toMatchObject({ pointer: '', line: 1, column: 1 });
  });
});

describe('duplicate keys', () => {
  const raw = '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}\n';

  it('reads, locates and edits the last copy, as JSON.parse does', () => {
    const doc = parsed(raw);
    expect(doc.value).toEqual({ a: 3, b: 2 });
    expect(doc.locate(['a'])).toEqual({ line: 4, column: 3 });
    const after = doc.apply([{ path: ['a'], value: 4 }]);
    expect(after).toBe('{\n  "a": 1,\n  "b": 2,\n  "a": 4\n}\n');
    expect(parsed(after).value).toEqual({ a: 4, b: 2 });
  });

  it('removes every copy of a removed key', () => {
    const after = edited(raw, [{ path: ['a'], value: undefined }]);
    expect(after).toBe('{\n  "b": 2\n}\n');
  });
});

describe('edits that cannot be made', () => {
  const raw = '{\n  "list": [1],\n  "name": "x"\n}\n';

  it('refuses to insert past the end of an array', () => {
    expect(() => edited(raw, [{ path: ['list', 3], value: 2 }])).toThrow('arrays only grow at the end');
    expect(() => edited(raw, [{ path: ['missing', 3], value: 2 }])).toThrow('arrays only grow at the end');
  });

  it('appends when the index is the array length', () => {
    expect(edited(raw, [{ path: ['list', 1], value: 2 }])).toBe('{\n  "list": [1, 2],\n  "name": "x"\n}\n');
  });

  it('refuses to set a member of a scalar or a key of an array', () => {
    expect(() => edited(raw, [{ path: ['name', 'first'], value: 'y' }])).toThrow('the parent is a string');
    expect(() => edited(raw, [{ path: ['list', 'first'], value: 'y' }])).toThrow('the parent is a array');
  });

  it('refuses to remove the whole document', () => {
    expect(() => edited(raw, [{ path: [], value: undefined }])).toThrow('cannot remove the whole document');
  });

  it('replaces the whole document when the path is empty', () => {
    expect(edited(raw, [{ path: [], value: { fresh: true } }])).toBe('{\n  "fresh": true\n}\n');
  });
});

describe('large documents', () => {
  it('parses a 5 MB string and keeps its bytes through an edit elsewhere', () => {
    const big = 'x'.repeat(2_500_000) + 'é\\"\n'.repeat(10) + 'y'.repeat(2_500_000);
    const before = serialize({ id: 'T-1', status: 'open', body: big, tags: [] }, { ...DEFAULT_STYLE, ascii: true });
    const doc = parsed(before);
    expect((doc.value as { body: string }).body).toBe(big);
    const after = doc.apply([
      { path: ['status'], value: 'done' },
      { path: ['tags', -1], value: 'big' },
    ]);
    const bodyBytes = before.slice(span(before, ['body']).start, span(before, ['body']).end);
    expect(bodyBytes.length).toBeGreaterThan(5_000_000);
    expect(after.slice(span(after, ['body']).start, span(after, ['body']).end)).toBe(bodyBytes);
    expect(difference(before, after).start).toBe(span(before, ['status']).start + 1);
  });
});
