/**
 * The `q` of the items lists, a small part of the projects filter language
 * (docs.github.com/issues/planning-and-tracking-with-projects/customizing-views-in-your-project/filtering-projects):
 * `field:value` for a single-select field by name ("status:Todo",
 * `status:"In progress"`, several values comma-separated mean any of them),
 * `no:field` and `has:field`, `is:open`, `is:closed`, `is:issue`, `is:pr`,
 * `is:archived`, a leading `-` to negate any of those, and bare words, which
 * must all appear in the title. Anything else is a 501: the emulator does not
 * pretend to filter on what it does not understand.
 */
import { HttpError } from '../http.js';
import { fieldNamed, selectedOption, type Project, type ProjectItem } from './model.js';

type Test = (item: ProjectItem) => boolean;

/** Split on spaces outside double quotes; quotes are dropped. */
function tokens(q: string): string[] {
  const out: string[] = [];
  for (const match of q.matchAll(/(?:[^\s"]+|"[^"]*")+/g)) out.push(match[0].replace(/"/g, ''));
  return out;
}

const unsupported = (token: string) => new HttpError(501, `the emulator does not implement the project filter ${token}`);

function qualifier(project: Project, name: string, value: string, token: string): Test {
  const lower = value.toLowerCase();
  if (name === 'is') {
    const tests: Record<string, Test> = {
      open: (i) => i.issue.state === 'open',
      closed: (i) => i.issue.state === 'closed',
      issue: (i) => i.contentType === 'Issue',
      pr: (i) => i.contentType === 'PullRequest',
      archived: (i) => i.archived_at !== null,
    };
    const test = tests[lower];
    if (!test) throw unsupported(token);
    return test;
  }
  const fieldName = name === 'no' || name === 'has' ? value : name;
  const field = fieldNamed(project, fieldName);
  if (!field || field.dataType !== 'single_select') throw unsupported(token);
  if (name === 'no') return (i) => selectedOption(project, i, field) === undefined;
  if (name === 'has') return (i) => selectedOption(project, i, field) !== undefined;
  const wanted = value.split(',').map((v) => v.trim().toLowerCase());
  return (i) => wanted.includes(selectedOption(project, i, field)?.name.toLowerCase() ?? '\0');
}

/** A test for the items `q` keeps. */
export function itemFilter(project: Project, q: string | null): Test {
  if (q === null || q.trim() === '') return () => true;
  const tests = tokens(q).map((token): Test => {
    const negated = token.startsWith('-');
    const bare = negated ? token.slice(1) : token;
    const colon = bare.indexOf(':');
    const test: Test =
      colon > 0
        ? qualifier(project, bare.slice(0, colon).toLowerCase(), bare.slice(colon + 1), token)
        : (i) => i.issue.title.toLowerCase().includes(bare.toLowerCase());
    return negated ? (i) => !test(i) : test;
  });
  return (item) => tests.every((t) => t(item));
}
