/**
 * What the chaos soak must find exactly once: an issue per ticket, a comment
 * per comment anyone made, a commit per change the App wrote back, a check
 * run per pushed commit. One line per duplicate; none when there is none.
 */
import { issueAsTicket, type EndState } from './compare.js';

export function duplicates(end: EndState, tickets: number): string[] {
  return [...issueDuplicates(end, tickets), ...commentDuplicates(end), ...commitDuplicates(end), ...checkRunDuplicates(end)];
}

/** Exactly one issue per ticket: as many issues as tickets, no two carrying one ticket's marker. */
function issueDuplicates(end: EndState, tickets: number): string[] {
  const found = end.issues.length === tickets ? [] : [`${end.issues.length} issues for ${tickets} tickets`];
  const byMarker = new Map<string, number[]>();
  for (const issue of end.issues) {
    const marker = issueAsTicket(issue, end.bot).marker ?? '(no marker)';
    byMarker.set(marker, [...(byMarker.get(marker) ?? []), issue.number]);
  }
  for (const [marker, numbers] of byMarker) if (numbers.length > 1) found.push(`${marker} has ${numbers.length} issues: ${numbers.map((n) => `#${n}`).join(', ')}`);
  return found;
}

/** No comment twice: on an issue, no two comments for one ticket comment (or with one person's same text); in a file, no id or text twice. */
function commentDuplicates(end: EndState): string[] {
  const found: string[] = [];
  const twice = (where: string, keys: string[]) => {
    const seen = new Set<string>();
    for (const key of keys) seen.has(key) ? found.push(`${where}: ${key} twice`) : seen.add(key);
  };
  for (const issue of end.issues) {
    twice(`#${issue.number}`, issueAsTicket(issue, end.bot).comments.map((c) => (c.id.startsWith('gh-') ? `${c.author}: ${JSON.stringify(c.body)}` : `comment ${c.id}`)));
  }
  for (const [id, file] of Object.entries(end.files)) {
    twice(id, file.comments.map((c) => `comment ${c.id}`));
    twice(id, file.comments.map((c) => `${c.author}: ${JSON.stringify(c.body)}`));
  }
  return found;
}

/**
 * No commit of the App's twice: none that changes nothing (its tree is its
 * parent's), none that rewrites a ticket file with nothing but a new update
 * time, and no two that write the same bytes to one file.
 */
function commitDuplicates(end: EndState): string[] {
  const found: string[] = [];
  const written = new Map<string, string>();
  for (const commit of end.commits.filter((c) => c.author === end.bot)) {
    const name = `${commit.sha.slice(0, 7)} "${commit.message.split('\n')[0]}"`;
    if (commit.sameTreeAsParent) found.push(`the App's commit ${name} changes nothing`);
    for (const [path, change] of Object.entries(commit.changed)) {
      const key = `${path} ${change.blob}`;
      const earlier = written.get(key);
      if (earlier !== undefined) found.push(`the App's commit ${name} writes ${path} as ${earlier} already did`);
      written.set(key, name);
      if (change.before !== null && change.after !== null && sameBut(change.before, change.after, 'updated_at')) {
        found.push(`the App's commit ${name} rewrites ${path} with nothing but a new update time`);
      }
    }
  }
  return found;
}

function sameBut(before: string, after: string, key: string): boolean {
  const strip = (text: string) => JSON.stringify({ ...(JSON.parse(text) as object), [key]: undefined });
  return strip(before) === strip(after);
}

/** The App's verdict on a pushed commit is one check run: never a second one of the same name on the same commit. */
function checkRunDuplicates(end: EndState): string[] {
  const count = new Map<string, number>();
  for (const run of end.checkRuns) count.set(`${run.name} on ${run.sha.slice(0, 7)}`, (count.get(`${run.name} on ${run.sha.slice(0, 7)}`) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([what, n]) => `${n} check runs ${what}`);
}
