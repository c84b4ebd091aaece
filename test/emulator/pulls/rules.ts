/**
 * Repository rulesets, as far as an app reads them: `GET
 * /repos/{owner}/{repo}/rules/branches/{branch}` ("Returns all active rules
 * that apply to the specified branch. The branch does not need to exist;
 * rules that would apply to a branch with that name will be returned. …
 * Rules in rulesets with "evaluate" or "disabled" enforcement statuses are
 * not returned.", the `repos/get-branch-rules` description), each rule with
 * its ruleset's `ruleset_source_type`, `ruleset_source` and `ruleset_id`
 * (`repository-rule-detailed`).
 *
 * The people-driver keeps one ruleset per branch requiring status checks
 * (`required_status_checks` with `parameters.required_status_checks[].context`,
 * `strict_required_status_checks_policy: false`): what a repository admin
 * sets in Settings → Rules. The rules are not enforced on pushes or merges.
 */
import type { Emulator } from '../emulator.js';
import { paginate } from '../http.js';
import type { Repo } from '../state.js';

export interface Ruleset {
  id: number;
  name: string;
  enforcement: 'active' | 'evaluate' | 'disabled';
  /** Branch names the ruleset targets (`~DEFAULT_BRANCH` and `~ALL` as GitHub spells them). */
  branches: string[];
  requiredChecks: string[];
}

const rulesetsByRepo = new WeakMap<Repo, Ruleset[]>();

export function rulesetsOf(repo: Repo): Ruleset[] {
  let rulesets = rulesetsByRepo.get(repo);
  if (!rulesets) rulesetsByRepo.set(repo, (rulesets = []));
  return rulesets;
}

/** Require status check `contexts` on `branch` (an active ruleset of its own); none removes the ruleset. */
export function requireChecks(emu: Emulator, repo: Repo, branch: string, contexts: readonly string[]): Ruleset | undefined {
  const rulesets = rulesetsOf(repo);
  const index = rulesets.findIndex((r) => r.branches.length === 1 && r.branches[0] === branch);
  if (contexts.length === 0) {
    if (index >= 0) rulesets.splice(index, 1);
    return undefined;
  }
  const ruleset: Ruleset = { id: rulesets[index]?.id ?? emu.world.id(), name: `Require checks on ${branch}`, enforcement: 'active', branches: [branch], requiredChecks: [...contexts] };
  if (index >= 0) rulesets[index] = ruleset;
  else rulesets.push(ruleset);
  return ruleset;
}

function applies(repo: Repo, ruleset: Ruleset, branch: string): boolean {
  return ruleset.branches.some((b) => b === '~ALL' || b === branch || (b === '~DEFAULT_BRANCH' && branch === repo.defaultBranch));
}

/** The active rules for `branch`, as `repository-rule-detailed`. */
export function branchRules(repo: Repo, branch: string) {
  return rulesetsOf(repo)
    .filter((r) => r.enforcement === 'active' && applies(repo, r, branch))
    .map((r) => ({
      type: 'required_status_checks' as const,
      parameters: { required_status_checks: r.requiredChecks.map((context) => ({ context })), strict_required_status_checks_policy: false },
      ruleset_source_type: 'Repository' as const,
      ruleset_source: repo.fullName,
      ruleset_id: r.id,
    }));
}

export function rulesRoutes(emu: Emulator): void {
  // Readable with metadata: read, which every installation has.
  emu.route('GET', '/repos/{owner}/{repo}/rules/branches/{branch}', (ctx) => paginate(ctx, branchRules(ctx.repo(), ctx.params.branch!)));
}
