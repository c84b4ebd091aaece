import { describe, expect, it } from 'vitest';
import { foldInto, Job, MAX_FAILURES, onFailure, parseInterval, reasonOf } from './jobs.js';

const NOW = new Date('2026-11-23T10:00:00Z');

function job(over: Partial<Job> = {}): Job {
  return Job.parse({
    id: 'j1',
    installation: 7,
    repo: 'acme/app',
    branch: 'main',
    kind: 'event',
    scoped: true,
    pushes: [{ before: 'a0', after: 'a1', tree: 't1', paths: ['tickets/TSK-0001.json'] }],
    causes: ['d1'],
    reasons: ['push a1 by @octocat'],
    writer: 'octocat',
    refreshComments: [],
    enqueuedAt: NOW.toISOString(),
    failures: 0,
    ...over,
  });
}

describe('folding an event into a waiting job', () => {
  it('keeps a push-only job scoped and lists both pushes, causes and reasons in order', () => {
    const next = job({ pushes: [{ before: 'a1', after: 'a2', forced: false, paths: ['tickets/TSK-0002.json'] }], causes: ['d2'], reasons: ['push a2 by @hubot'], writer: 'hubot' });
    const folded = foldInto(job(), next);
    expect(folded).toMatchObject({ id: 'j1', scoped: true, causes: ['d1', 'd2'], reasons: ['push a1 by @octocat', 'push a2 by @hubot'], writer: 'hubot' });
    expect(folded.pushes.map((p) => p.after)).toEqual(['a1', 'a2']);
  });

  it('makes the sync whole when an issue event joins, and keeps the stronger kind', () => {
    const issueEvent = job({ scoped: false, pushes: [], causes: ['d2'], reasons: ['#3 closed by @hubot'], refreshComments: [3] });
    expect(foldInto(job(), issueEvent)).toMatchObject({ kind: 'event', scoped: false, refreshComments: [3] });
    expect(foldInto(job({ kind: 'install', scoped: false }), job({ kind: 'reconcile' }))).toMatchObject({ kind: 'install', scoped: false });
    expect(foldInto(job(), job({ kind: 'reconcile', scoped: false, pushes: [] })).kind).toBe('reconcile');
  });

  it('does not list the same push twice when its delivery comes again under another id', () => {
    expect(foldInto(job(), job({ causes: ['d9'] })).pushes).toHaveLength(1);
  });
});

describe('the reason a commit message names', () => {
  it('names one or two causes whole and counts the rest', () => {
    expect(reasonOf({ reasons: [] })).toBe('sync');
    expect(reasonOf({ reasons: ['#1 closed by @a'] })).toBe('#1 closed by @a');
    expect(reasonOf({ reasons: ['#1 closed by @a', '#2 edited by @b'] })).toBe('#1 closed by @a; #2 edited by @b');
    expect(reasonOf({ reasons: ['#1 closed by @a', '#2 edited by @b', 'x', 'y'] })).toBe('#1 closed by @a; #2 edited by @b and 2 more');
  });
});

describe('what a failed run leads to', () => {
  const httpError = (status: number, headers: Record<string, string> = {}) => Object.assign(new Error(`HTTP ${status}`), { status, response: { headers } });

  it('waits out a secondary rate limit for its retry-after, however often it comes', () => {
    expect(onFailure(httpError(403, { 'retry-after': '60' }), { failures: 99 }, NOW)).toEqual({ action: 'defer', notBefore: new Date('2026-11-23T10:01:00Z'), why: 'HTTP 403' });
    expect(onFailure(httpError(429, { 'retry-after': '0' }), { failures: 0 }, NOW)).toMatchObject({ action: 'defer', notBefore: new Date('2026-11-23T10:00:01Z') });
  });

  it('waits for the reset of a spent primary rate limit', () => {
    const reset = String(Date.parse('2026-11-23T10:30:00Z') / 1000);
    expect(onFailure(httpError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), { failures: 0 }, NOW)).toMatchObject({ action: 'defer', notBefore: new Date('2026-11-23T10:30:00Z') });
  });

  it('retries a server error with a growing back-off, then gives up', () => {
    expect(onFailure(httpError(502), { failures: 0 }, NOW)).toMatchObject({ action: 'retry', notBefore: new Date('2026-11-23T10:00:05Z') });
    expect(onFailure(httpError(502), { failures: 2 }, NOW)).toMatchObject({ action: 'retry', notBefore: new Date('2026-11-23T10:00:20Z') });
    expect(onFailure(httpError(502), { failures: MAX_FAILURES - 1 }, NOW)).toMatchObject({ action: 'drop', why: expect.stringContaining('gave up') });
    expect(onFailure(Object.assign(new Error('moved'), { name: 'CommitConflictError' }), { failures: 0 }, NOW).action).toBe('retry');
    expect(onFailure(new TypeError('fetch failed'), { failures: 0 }, NOW).action).toBe('retry');
  });

  it('drops a job whose error another try will not mend', () => {
    expect(onFailure(httpError(404), { failures: 0 }, NOW)).toEqual({ action: 'drop', why: 'HTTP 404' });
    expect(onFailure(httpError(403), { failures: 0 }, NOW).action).toBe('drop');
    expect(onFailure(new Error('a bug'), { failures: 0 }, NOW).action).toBe('drop');
  });
});

describe('RECONCILE_INTERVAL', () => {
  it('reads minutes, hours, seconds and their sums, and 0 or nothing as off', () => {
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('1h30m')).toBe(5_400_000);
    expect(parseInterval('90s')).toBe(90_000);
    expect(parseInterval('120')).toBe(120_000);
    expect(parseInterval('0')).toBe(0);
    expect(parseInterval('')).toBe(0);
    expect(parseInterval(undefined)).toBe(0);
  });

  it('refuses anything else, saying what it takes', () => {
    for (const bad of ['15 minutes', '1d', '-5m', 'm', '1.5h']) expect(() => parseInterval(bad)).toThrow(/RECONCILE_INTERVAL: ".*" is not a duration \(write 15m/);
  });
});
