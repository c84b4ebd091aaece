/** Which tickets a pull request links, from its title, body and branch: the rules, the Markdown it ignores, and untrusted input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLinks, linkedTickets, type LinkRules, type PullRequestText } from './links.js';

const UUID = '3f2a9c4e-8b1d-4e6f-9a2b-7c5d1e0f4a3b';
const RULES: LinkRules = {
  repo: 'Acme/Widgets',
  htmlBase: 'https://github.com',
  ticketIds: ['TSK-0012', 'TSK-0012-2', 'TSK-0003', 'ISS-0003', 'T-12', 'proj_7', '12', '3.2', UUID],
};

/** The links of a pull request, each as `kind target@from`: `closing TSK-0012@branch`, `referencing #4@body`. */
function linksOf(pr: Partial<PullRequestText>, rules: LinkRules = RULES): string[] {
  const found = findLinks({ title: '', body: null, branch: 'main', ...pr }, rules);
  return found.links.map((l) => `${l.kind} ${'issue' in l.target ? `#${l.target.issue}` : l.target.ticket}@${l.from}`);
}
const bodyLinks = (body: string, rules?: LinkRules) => linksOf({ body }, rules);
const skippedOf = (pr: Partial<PullRequestText>) => findLinks({ title: '', body: null, branch: 'main', ...pr }, RULES).skipped;

describe('closing keywords', () => {
  it('close an issue of this repository with every keyword, in any case, with or without a colon', () => {
    for (const word of ['close', 'closes', 'closed', 'fix', 'fixes', 'fixed', 'resolve', 'resolves', 'resolved']) {
      for (const written of [`${word} #12`, `${word.toUpperCase()}: #12`, `${word[0]!.toUpperCase()}${word.slice(1)}:#12`]) {
        expect(bodyLinks(`Some text. ${written}, thanks`), written).toEqual(['closing #12@body']);
      }
    }
  });

  it('close an issue named as owner/repo#n or by its URL, the repository matched in any case', () => {
    expect(bodyLinks('Fixes acme/widgets#4')).toEqual(['closing #4@body']);
    expect(bodyLinks('Fixes ACME/Widgets#5.')).toEqual(['closing #5@body']);
    expect(bodyLinks('Resolves https://github.com/acme/widgets/issues/6.')).toEqual(['closing #6@body']);
    expect(bodyLinks('closes https://github.com/Acme/Widgets/issues/7#issuecomment-1')).toEqual(['closing #7@body']);
  });

  it("ignore other repositories' issues and other hosts, without failing", () => {
    expect(bodyLinks('Fixes other/widgets#4, fixes https://github.com/other/widgets/issues/5')).toEqual([]);
    expect(bodyLinks('Fixes https://gitlab.com/acme/widgets/issues/5 and closes https://github.com/acme/widgets/pull/6')).toEqual([]);
    expect(bodyLinks('Fixes acme/widgets-old#4 fixes acme/widget#4')).toEqual([]);
  });

  it('close a ticket named by its id, and take the id in any case spelled as the repository spells it', () => {
    expect(bodyLinks('Fixes TSK-0012')).toEqual(['closing TSK-0012@body']);
    expect(bodyLinks('**Closes:** tsk-0003')).toEqual(['closing TSK-0003@body']);
    expect(bodyLinks('This PR resolves\nPROJ_7')).toEqual(['closing proj_7@body']);
  });

  it('count only right before the reference: a bare #n is no link, and one keyword closes one reference', () => {
    expect(bodyLinks('See the discussion in #12')).toEqual([]);
    expect(bodyLinks('#12')).toEqual([]);
    expect(bodyLinks('Fixes #12, #13 and TSK-0003')).toEqual(['closing #12@body', 'referencing TSK-0003@body']);
    expect(bodyLinks('prefixes #12, fixes#13, fix-#14, fixes (#15)')).toEqual([]);
  });
});

describe('referencing words and bare ids', () => {
  it('reference a target after every referencing word', () => {
    for (const words of ['refs', 'references', 'ref', 'part of', 'related to', 'relates to', 'towards', 'see', 'Part  of', 'RELATED TO:']) {
      expect(bodyLinks(`${words} #4 and ${words} ISS-0003`), words).toEqual(['referencing #4@body', 'referencing ISS-0003@body']);
    }
    expect(bodyLinks('part\nof #4, out of #5, related-to #6')).toEqual([]);
  });

  it('reference a ticket whose id stands anywhere in the title or the body', () => {
    expect(linksOf({ title: 'Login page for TSK-0012', body: 'Also touches t-12.' })).toEqual(['referencing TSK-0012@title', 'referencing T-12@body']);
  });

  it('close the tickets whose ids start the title', () => {
    for (const title of ['TSK-0012: login', '[TSK-0012] login', 'TSK-0012 login', '(TSK-0012) login', ' tsk-0012 - login']) {
      expect(linksOf({ title }), title).toEqual(['closing TSK-0012@title']);
    }
    expect(linksOf({ title: '[TSK-0012][T-12] login, see TSK-0003' })).toEqual(['closing TSK-0012@title', 'closing T-12@title', 'referencing TSK-0003@title']);
    expect(linksOf({ title: 'Fix TSK-0012 and TSK-0003' })).toEqual(['closing TSK-0012@title', 'referencing TSK-0003@title']);
  });

  it('close the tickets named in the head branch, in any case, whatever surrounds them', () => {
    expect(linksOf({ branch: 'feature/TSK-0012-login' })).toEqual(['closing TSK-0012@branch']);
    expect(linksOf({ branch: 'tsk-0003_x' })).toEqual(['closing TSK-0003@branch']);
    expect(linksOf({ branch: 'ログイン/iss-0003.修正' })).toEqual(['closing ISS-0003@branch']);
    expect(linksOf({ branch: 'fix/12-login' })).toEqual([]);
  });
});

describe('ticket ids', () => {
  it('match only as whole tokens: a letter or digit on either side (in any script) keeps them from matching', () => {
    for (const body of ['XTSK-0012', 'TSK-00123', '9TSK-0012', 'TSK-0012é', 'éTSK-0012', 'TSK-0012ログ', 'ログTSK-0012']) expect(bodyLinks(body), body).toEqual([]);
    for (const body of ['TSK-0012-login', 'tsk-0012_x', 'a/TSK-0012/b', 'TSK-0012.', '"TSK-0012"', '[TSK-0012]', 'x:TSK-0012', 'ログ TSK-0012']) {
      expect(bodyLinks(body), body).toEqual(['referencing TSK-0012@body']);
    }
  });

  it('take the longest known id where several overlap', () => {
    expect(bodyLinks('TSK-0012-2 and TSK-0012-3')).toEqual(['referencing TSK-0012-2@body', 'referencing TSK-0012@body']);
  });

  it('never match an id that is a bare number or a UUID unless the id pattern allows it', () => {
    expect(bodyLinks(`Fixes 12, see 3.2 and ${UUID}`)).toEqual([]);
    const numeric = { ...RULES, idPattern: /\d+(?:\.\d+)?/iu };
    expect(bodyLinks('Fixes 12, see 3.2, and #12', numeric)).toEqual(['closing 12@body', 'referencing 3.2@body']);
    expect(bodyLinks('#12 x#12 (#12)', numeric)).toEqual([]);
    expect(bodyLinks('Fixes TSK-0012', numeric)).toEqual([]);
    expect(bodyLinks(`see ${UUID.toUpperCase()}`, { ...RULES, idPattern: /[0-9a-f-]{36}/iu })).toEqual([`referencing ${UUID}@body`]);
  });

  it('match only ids the repository has', () => {
    expect(bodyLinks('Fixes TSK-0099')).toEqual([]);
    expect(linksOf({ branch: 'TSK-0099' }, { ...RULES, ticketIds: [] })).toEqual([]);
  });

  it('do not count inside a URL', () => {
    expect(bodyLinks('https://jira.example.com/browse/TSK-0012 and <https://github.com/acme/widgets/issues/3>')).toEqual([]);
  });
});

describe('skip words', () => {
  it('break the links of their target, whatever made them, and list it as skipped', () => {
    expect(linksOf({ title: 'TSK-0012: login', branch: 'tsk-0012', body: 'Fixes #4, skip TSK-0012' })).toEqual(['closing #4@body']);
    expect(linksOf({ body: 'Fixes #4\n\nIgnore: #4' })).toEqual([]);
    expect(skippedOf({ body: 'skip TSK-0012, ignore #4, skip TSK-0012, skip other/repo#4' })).toEqual([{ ticket: 'TSK-0012' }, { issue: 4 }]);
  });

  it('count only in the body', () => {
    expect(linksOf({ title: 'skip TSK-0012' })).toEqual(['referencing TSK-0012@title']);
    expect(skippedOf({ title: 'skip TSK-0012' })).toEqual([]);
  });
});

describe('Markdown that is not prose', () => {
  it('hides links in code spans, fenced code, indented code, block quotes and HTML comments', () => {
    for (const body of [
      'Run `git commit -m "fixes #12"` first',
      'Run ``fixes `#12` here`` first',
      '```\nfixes #12\n```',
      '~~~~ sh\nfixes #12\n~~~\nfixes TSK-0003\n~~~~',
      'Text\n\n    fixes #12\n\n\tfixes TSK-0003',
      '> Fixes #12\nand TSK-0003',
      '<!-- Fixes #12 -->',
      '<!--\nWrite "Fixes #12" to close an issue.\n\nFixes TSK-0003\n-->',
      'A <!-- fixes #12 --> comment and <!-- an unclosed one fixes #13\n\nFixes #14',
      '```unclosed\nfixes #12',
    ]) {
      expect(bodyLinks(body), body).toEqual([]);
    }
  });

  it('still reads the prose around them', () => {
    expect(bodyLinks('<!-- template -->\nFixes #12\n```\nx\n```\nRefs TSK-0003 `code` fixes TSK-0012')).toEqual(['closing #12@body', 'referencing TSK-0003@body', 'closing TSK-0012@body']);
    expect(bodyLinks('> quoted\n\nFixes #12')).toEqual(['closing #12@body']);
    expect(bodyLinks('Text\n    fixes #12')).toEqual(['closing #12@body']);
    expect(bodyLinks('An odd ` backtick, fixes #12')).toEqual(['closing #12@body']);
    expect(bodyLinks('` one\n\nfixes #12 `')).toEqual(['closing #12@body']);
    expect(linksOf({ title: '`TSK-0012` docs <!-- TSK-0003 --> for T-12' })).toEqual(['referencing T-12@title']);
  });

  it('reads CRLF and CR line endings as line breaks', () => {
    expect(bodyLinks('```\r\nfixes #12\r\n```\r\nFixes #13\r\r> fixes #14\r\n')).toEqual(['closing #13@body']);
  });
});

describe('the links found', () => {
  it('come in order of first appearance, one per target, with the strongest kind and where it came from', () => {
    expect(linksOf({ title: 'Refs #4 for T-12', body: 'TSK-0003 then fixes #4 and refs #4', branch: 'feature/t-12' })).toEqual([
      'closing #4@body',
      'closing T-12@branch',
      'referencing TSK-0003@body',
    ]);
  });

  it('are none for a pull request with a null body and nothing else', () => {
    expect(findLinks({ title: 'Update README', body: null, branch: 'docs' }, RULES)).toEqual({ links: [], skipped: [] });
  });

  it('are all found in a body over 64 KiB with 300 references', () => {
    const refs = Array.from({ length: 300 }, (_, i) => `fixes #${i + 1}`);
    const body = `${'lorem ipsum '.repeat(6000)}\n\n${refs.join('\n')}`;
    expect(body.length).toBeGreaterThan(65_536);
    expect(bodyLinks(body)).toHaveLength(300);
  });
});

describe('linkedTickets', () => {
  const tickets = [{ id: 'TSK-0012', issue: 12 }, { id: 'TSK-0003', issue: 3 }, { id: 'T-12' }];

  it('resolves issues to their tickets, drops unknown ones, and keeps the strongest link of each ticket', () => {
    const found = findLinks({ title: 'TSK-0003 docs', body: 'refs #12, fixes #3, fixes #99, refs T-12', branch: 'main' }, RULES);
    expect(linkedTickets(found, tickets)).toEqual({ closing: ['TSK-0003'], referencing: ['TSK-0012', 'T-12'], skipped: [] });
  });

  it('removes a ticket skipped by its id or by its issue from both lists', () => {
    expect(linkedTickets(findLinks({ title: 'TSK-0012: x', body: 'fixes #3\n\nskip #12, ignore TSK-0003', branch: 'main' }, RULES), tickets)).toEqual({
      closing: [],
      referencing: [],
      skipped: ['TSK-0012', 'TSK-0003'],
    });
  });
});

const FRAGMENTS = ['Fixes ', 'refs ', 'skip ', '#12', 'TSK-0012', 'acme/widgets#3', 'https://github.com/acme/widgets/issues/', '`', '```', '~~~', '<!--', '-->', '> ', '    ', '\n', '\r\n', ' ', 'a', '9', ':', '-', '_', '#', 'é', '😀', '\uD800', 'part of ', '['];
const markdown = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));

describe('untrusted text', () => {
  it('is read in near-linear time and never throws, however adversarial (the test would hang otherwise)', () => {
    const fragment = fc.constantFrom(...FRAGMENTS);
    const big = fc.oneof(
      fc.string({ unit: 'binary', minLength: 60_000, maxLength: 70_000 }),
      fc.array(fc.tuple(fragment, fc.constantFrom('', ' ', '\n')), { minLength: 12_000, maxLength: 14_000 }).map((parts) => parts.flat().join('')),
      fc.array(fragment, { minLength: 1, maxLength: 4 }).map((unit) => unit.join('').repeat(Math.ceil(70_000 / unit.join('').length))),
    );
    fc.assert(
      fc.property(big, (text) => {
        const found = findLinks({ title: text.slice(0, 70_000), body: text, branch: text }, { ...RULES, ticketIds: [...RULES.ticketIds, 'a'.repeat(64), 'TSK-0012-2-2'] });
        expect(Array.isArray(found.links)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('is read in near-linear time when one piece of Markdown repeats for 70,000 characters', () => {
    const rules = { ...RULES, ticketIds: [...RULES.ticketIds, 'a'.repeat(64), 'TSK-0012-2-2'] };
    for (const fragment of FRAGMENTS) {
      for (const gap of ['', ' ', '\n', '\n\n']) {
        const text = (fragment + gap).repeat(Math.ceil(70_000 / (fragment + gap).length));
        expect(() => findLinks({ title: text, body: text, branch: text }, rules), JSON.stringify(fragment + gap)).not.toThrow();
      }
    }
  });

  it('gives each target once, from where it was found, and nothing skipped', () => {
    fc.assert(
      fc.property(markdown, markdown, markdown, (title, body, branch) => {
        const { links, skipped } = findLinks({ title, body, branch }, RULES);
        const keys = links.map((l) => JSON.stringify(l.target));
        expect(new Set(keys).size).toBe(keys.length);
        for (const s of skipped) expect(keys).not.toContain(JSON.stringify(s));
      }),
    );
  });

  it('links nothing from a body wholly inside a comment, a fence or a block quote', () => {
    const prose = fc.array(fc.constantFrom('Fixes ', 'refs ', '#12', 'TSK-0012', 'acme/widgets#3', ' ', '\n', 'x', ':'), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(prose, (body) => {
        expect(bodyLinks(`<!--\n${body}\n-->`)).toEqual([]);
        expect(bodyLinks(`~~~\n${body}\n~~~`)).toEqual([]);
        expect(bodyLinks(body.split('\n').map((line) => `> ${line}`).join('\n'))).toEqual([]);
      }),
    );
  });

  it('reads the same in any case', () => {
    fc.assert(
      fc.property(markdown, (body) => {
        expect(bodyLinks(body.toUpperCase())).toEqual(bodyLinks(body.toLowerCase()));
      }),
    );
  });

  it('never matches an id touching a letter or digit', () => {
    const alnum = fc.constantFrom('a', 'Z', '0', '7', 'é', 'ж', '٣');
    fc.assert(
      fc.property(fc.constantFrom('TSK-0012', 'T-12', 'proj_7', 'ISS-0003'), alnum, fc.boolean(), (id, c, before) => {
        expect(bodyLinks(`Fixes ${before ? c + id : id + c}`)).toEqual([]);
      }),
    );
  });
});
