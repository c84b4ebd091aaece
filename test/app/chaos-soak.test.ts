/**
 * The chaos soak (issue 10 §3): 200 changes from both sides on 20 tickets,
 * played twice from one seeded script — once without faults, once with 502s
 * before and after the App's writes, 409s on its ref updates, and webhooks
 * delivered late, in reverse and twice. Both must end in the state the script
 * alone says (each field holding the newest value anyone wrote), every file
 * equal to its issue whenever the App is quiet, nothing made twice, and no run
 * given up on.
 *
 * The seed is printed; `CHAOS_SEED=<n> npx vitest run test/app/chaos-soak.test.ts`
 * plays that seed again (the same script and the same fault-free end state).
 * test/support/chaos/ holds the parts: script.ts (the script from the seed),
 * model.ts (the expected end), run.ts (one run), compare.ts (the end as read),
 * duplicates.ts (what must exist once), explain.ts (where a run went wrong).
 */
import { describe, expect, it } from 'vitest';
import { differences, ticketsOf, type EndState } from '../support/chaos/compare.js';
import { duplicates } from '../support/chaos/duplicates.js';
import { divergences, pathsThatDiffer, unsyncedAfterBatches } from '../support/chaos/explain.js';
import { expectedState } from '../support/chaos/model.js';
import { play, type Played } from '../support/chaos/run.js';
import { generateScript } from '../support/chaos/script.js';

const SEED = process.env.CHAOS_SEED === undefined ? 42 : Number(process.env.CHAOS_SEED);
if (!Number.isSafeInteger(SEED)) throw new Error(`CHAOS_SEED must be an integer, not ${process.env.CHAOS_SEED}`);
console.log(`chaos soak seed: ${SEED} (replay: CHAOS_SEED=${SEED} npx vitest run test/app/chaos-soak.test.ts)`);

const RUN_TIMEOUT = 150_000;
const script = generateScript(SEED);
const expected = expectedState(script);
const runs: { calm?: Played; chaos?: Played } = {};

describe(`the chaos soak, seed ${SEED}: 200 changes from both sides on 20 tickets`, () => {
  it('without faults, ends with every file equal to its issue, each holding the newest value anyone wrote', async () => {
    const calm = (runs.calm = await play(script, { faults: false }));
    report('without faults', calm);
    expect(differences(calm.end)).toEqual([]);
    expect(unsyncedAfterBatches(calm.afterBatch)).toEqual([]);
    // Each ticket's first batch after which its file did not hold the newest values, with that batch's changes to it.
    expect(divergences(script, calm.afterBatch)).toEqual([]);
    expect(ticketsOf(calm.end.files)).toEqual(expected);
  }, RUN_TIMEOUT);

  it('with 502s before and after the App’s writes, 409s on its ref updates and late, reversed and repeated webhooks, ends in exactly the state of the run without faults', async () => {
    const chaos = (runs.chaos = await play(script, { faults: true }));
    report('with faults', chaos);
    expect(chaos.injected.length).toBeGreaterThan(0);
    expect(differences(chaos.end)).toEqual([]);
    expect(unsyncedAfterBatches(chaos.afterBatch)).toEqual([]);
    expect(runs.calm, 'the run without faults did not finish').toBeDefined();
    // Each line: a path of the end state, then its value without faults / with faults.
    expect(pathsThatDiffer(endOf(runs.calm!.end), endOf(chaos.end))).toEqual([]);
    expect(divergences(script, chaos.afterBatch)).toEqual([]);
    expect(ticketsOf(chaos.end.files)).toEqual(expected);
  }, RUN_TIMEOUT);

  it('makes no issue, comment, commit or check run twice, in either run', () => {
    expect(runs.calm && runs.chaos, 'a run did not finish').toBeDefined();
    expect(bothRuns((run) => duplicates(run.end, script.tickets.length))).toEqual([]);
  });

  it('gives up on no run: each failed run of the App was tried again, and succeeded', () => {
    expect(runs.calm && runs.chaos, 'a run did not finish').toBeDefined();
    // The queue keeps a job until it succeeds or is dropped, and the runs ended quiet: no drop means every retry succeeded.
    expect(bothRuns((run) => run.failures.filter((f) => f.action !== 'retry').map((f) => `${f.action}: ${f.why}`))).toEqual([]);
    expect(runs.calm!.failures).toEqual([]);
  });
});

/** What `lines` says of each run, each line named by its run. */
function bothRuns(lines: (run: Played) => string[]): string[] {
  return [...lines(runs.calm!).map((l) => `without faults: ${l}`), ...lines(runs.chaos!).map((l) => `with faults: ${l}`)];
}

/** What two runs must agree on: the tickets, and what each issue shows (comments by who and what, in any order). */
function endOf(end: EndState) {
  return {
    tickets: ticketsOf(end.files),
    links: Object.fromEntries(Object.entries(end.files).map(([id, f]) => [id, f.issue])),
    issues: Object.fromEntries(
      end.issues.map(({ number, title, body, state, state_reason, labels, assignees, comments }) => [
        `#${number}`,
        { title, body, state, state_reason, labels, assignees, comments: comments.map(({ login, body }) => `${login}: ${body}`).sort() },
      ]),
    ),
  };
}

function report(name: string, run: Played): void {
  const kinds = run.injected.reduce<Record<string, number>>((n, f) => ({ ...n, [`${f.kind} ${f.method}`]: (n[`${f.kind} ${f.method}`] ?? 0) + 1 }), {});
  console.log(
    `chaos soak ${name}: ${(run.ms / 1000).toFixed(1)} s, ${run.requests} requests by the App, ${run.deliveries} webhooks, ` +
      `${run.end.commits.length} commits, ${run.failures.length} failed runs, faults injected: ${JSON.stringify(kinds)}`,
  );
}
