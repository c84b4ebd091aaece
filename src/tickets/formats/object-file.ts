/**
 * The shape shared by every format that keeps one ticket per JSON file
 * (native, TicketData, TicketManager, the ticket files of aitrackdown).
 */
import type { z } from 'zod';
import { Ticket } from '../model.js';
import { JsonDocument, serialize, type JsonStyle } from '../json-document.js';
import type { JsonPath, Problem } from '../problems.js';
import { decodeRecord, encodeRecord, getPath, type JsonObject, type RecordMapping } from './record.js';
import type { TimeStyle } from './timestamps.js';
import type { FileOp, FormatName, LoadResult, LoadedTicket, SourceFile, TicketFormat, WriteContext } from './types.js';
import { wordOfField, wordsOf } from './words.js';
import type { TicketDraft } from '../model.js';
import { freeFilePath, takenPaths } from '../safe-name.js';
import type { JsonEdit } from '../json-document.js';

export interface ObjectFileSpec {
  name: FormatName;
  title: string;
  owns(path: string): boolean;
  /** The format's own shape: checked first, so errors point into the file as written. */
  schema: z.ZodType;
  mapping: RecordMapping;
  /** Whether the format's own writer escapes non-ASCII (Python's json.dump does by default). */
  asciiByDefault: boolean;
  /** How the format's own writer lays out a new file. */
  newFileStyle: JsonStyle;
  /** How the format's own writer writes times: its update time moves to `now` in this style whenever ticket-sync changes the record. */
  timeStyle: TimeStyle;
  /** The record of a new ticket, keys in the order the format's writer uses. */
  toRecord(ticket: Ticket, ctx: WriteContext): JsonObject;
  newId(draft: TicketDraft, ctx: WriteContext): string;
  /** The folder of a new ticket's file (`''` or `tickets/`); its name comes from the id (`freeFilePath`). */
  folder: string;
}

/** Zod issues as located problems. `base` is where the checked value sits in the document. */
export function schemaProblems(doc: JsonDocument, error: z.ZodError, base: JsonPath = []): Problem[] {
  return error.issues.map((issue) => {
    const path = [...base, ...issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s))];
    const field = path.length > 0 ? String(path[path.length - 1]) : '';
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const message = missing ? `missing required field "${field}"` : issue.message;
    const where = path.length > 0 ? `"${path.join('.')}": ` : '';
    return doc.problem(path, where + message);
  });
}

/** Parse a record already shaped like the format: canonical ticket or problems. */
export function readRecord(
  doc: JsonDocument,
  schema: z.ZodType,
  mapping: RecordMapping,
  raw: unknown,
  recordPath: JsonPath,
): { ticket: Ticket; problems: [] } | { ticket?: undefined; problems: Problem[] } {
  const shaped = schema.safeParse(raw);
  if (!shaped.success) return { problems: schemaProblems(doc, shaped.error, recordPath) };
  const canonical = Ticket.safeParse(decodeRecord(mapping, raw as JsonObject));
  if (!canonical.success) return { problems: schemaProblems(doc, canonical.error, recordPath) };
  return { ticket: canonical.data, problems: [] };
}

export function objectFileFormat(spec: ObjectFileSpec): TicketFormat {
  return {
    name: spec.name,
    title: spec.title,
    owns: spec.owns,
    load(files: readonly SourceFile[]): LoadResult {
      const result: LoadResult = { tickets: [], problems: [], invalidFiles: new Set(), invalidIds: new Map() };
      for (const file of files) {
        if (!spec.owns(file.path)) continue;
        const parsed = JsonDocument.parse(file.path, file.text, spec.asciiByDefault);
        if (!parsed.ok) {
          result.problems.push(...parsed.problems);
          result.invalidFiles.add(file.path);
          continue;
        }
        const { doc } = parsed;
        const read = readRecord(doc, spec.schema, spec.mapping, doc.value, []);
        if (read.ticket === undefined) {
          result.problems.push(...read.problems);
          result.invalidFiles.add(file.path);
          // Its id is still taken: the file's ticket is there, only not readable.
          const id = getPath(doc.value, ['id']);
          if (typeof id === 'string' && !result.invalidIds.has(id)) result.invalidIds.set(id, file.path);
          continue;
        }
        const words = wordsOf(spec.mapping, doc.value as JsonObject);
        result.tickets.push({ ticket: read.ticket, path: file.path, recordPath: [], line: 1, column: 1, files: [file.path], words });
      }
      return result;
    },
    newId: spec.newId,
    create(ticket, ctx): FileOp[] {
      const path = freeFilePath(spec.folder, ticket.id, takenPaths(ctx.files.keys()));
      return [{ op: 'write', path, text: serialize(spec.toRecord(ticket, ctx), spec.newFileStyle) }];
    },
    update(prev: LoadedTicket, next: Ticket, ctx): FileOp[] {
      const text = ctx.files.get(prev.path);
      if (text === undefined) throw new Error(`${prev.path} is gone`);
      const parsed = JsonDocument.parse(prev.path, text, spec.asciiByDefault);
      if (!parsed.ok) throw new Error(`${prev.path} is no longer valid JSON`);
      const edits = stamped(spec.mapping, parsed.doc.value as JsonObject, prev.ticket, next, spec.timeStyle.format(ctx.now));
      if (edits.length === 0) return [];
      const updated = parsed.doc.apply(edits);
      return updated === text ? [] : [{ op: 'write', path: prev.path, text: updated }];
    },
    remove(prev): FileOp[] {
      return prev.files.map((path) => ({ op: 'delete', path }));
    },
    wordOf: (field, value, loaded) => wordOfField(spec.mapping, field, value, loaded),
  };
}

/**
 * The edits that turn `prev` into `next`, with the update time moved to `now`
 * as the format's tool moves it on every save: unless nothing changed, or the
 * caller set the update time itself.
 */
export function stamped(mapping: RecordMapping, raw: JsonObject, prev: Ticket, next: Ticket, now: string): JsonEdit[] {
  const edits = encodeRecord(mapping, raw, prev, next);
  if (edits.length === 0 || prev.updated_at !== next.updated_at) return edits;
  return [...edits, ...mapping.updated_at.write(now, raw, { ...next, updated_at: now })];
}

/** Python's `json.dump(data, f, indent=2)`: two spaces, ASCII escapes, no final newline. */
export const PYTHON_JSON_STYLE: JsonStyle = {
  bom: false,
  eol: '\n',
  indent: '  ',
  colon: ': ',
  ascii: true,
  finalNewline: false,
};

/** `YYYYMMDDHHMMSS` in UTC. */
export function compactTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}


/** The ids in use in a location. */
export function takenIds(ctx: WriteContext): Set<string> {
  return new Set([...ctx.tickets.map((t) => t.ticket.id), ...(ctx.reservedIds ?? [])]);
}

/** Drop undefined values and the empty defaults a format's writer would not write. */
export function compact(record: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
