import { describe, expect, it } from 'vitest';
import type { LoadedTicket } from './formats/types.js';
import { linkClaims } from './link-claims.js';
import { completeDraft } from './model.js';

const loaded = (id: string, issue: number | undefined, line: number): LoadedTicket => ({
  ticket: completeDraft({ title: id, ...(issue === undefined ? {} : { github: { issue, url: `https://github.com/acme/app/issues/${issue}` } }) }, id),
  path: `${id}.json`,
  recordPath: [],
  line,
  column: 1,
  files: [`${id}.json`],
});

describe('tickets claiming one issue', () => {
  it('are each reported at their record, naming the other, and both contested', () => {
    const claims = linkClaims([loaded('TSK-0001', 7, 1), loaded('TSK-0002', 7, 3), loaded('TSK-0003', 8, 1), loaded('TSK-0004', undefined, 1)]);
    expect([...claims.contested].sort()).toEqual(['TSK-0001', 'TSK-0002']);
    expect(claims.problems.map((p) => `${p.path}:${p.line}:${p.column}: ${p.message}`)).toEqual([
      'TSK-0001.json:1:1: ticket TSK-0001 links to issue #7, which TSK-0002 (TSK-0002.json:3:1) also links to; neither is synced until one link is removed',
      'TSK-0002.json:3:1: ticket TSK-0002 links to issue #7, which TSK-0001 (TSK-0001.json:1:1) also links to; neither is synced until one link is removed',
    ]);
    expect(claims.problems.map((p) => p.code)).toEqual(['duplicate-link', 'duplicate-link']);
  });

  it('are none when every link is its own', () => {
    expect(linkClaims([loaded('TSK-0001', 1, 1), loaded('TSK-0002', 2, 1)])).toEqual({ problems: [], contested: new Set() });
  });
});
