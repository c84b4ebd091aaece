/** Assignees on GitHub, both ways: the name → login map and GitHub's cap. */
import { describe, expect, it } from 'vitest';
import { MappingConfig } from '../../config/mapping.js';
import { issueFrom, shown, ticket } from '../../../test/support/mapping.js';
import { issueView } from './read-issue.js';
import { ticketView } from './render-issue.js';

describe('assignees', () => {
  const config = MappingConfig.parse({ assignees: { 'Alice Smith': 'alice-gh', bob: 'Bobby' } });

  it('maps local names to logins and logins back to names, an unmapped name standing for itself', () => {
    const write = shown(ticket({ assignees: ['bob', 'Alice Smith', 'carol'] }), config);
    expect(write.assignees).toEqual(['Bobby', 'alice-gh', 'carol']);
    expect(issueView(issueFrom(write, { assignees: ['ALICE-GH', 'bobby', 'dave'] }), [], config).view.assignees).toEqual(['Alice Smith', 'bob', 'dave']);
  });

  it("reads the logins GitHub spells in its own case as the ticket's names when they are what it shows", () => {
    const t = ticket({ assignees: ['Carol'] });
    const issue = issueFrom(shown(t), { assignees: ['carol'] });
    expect(issueView(issue, [], undefined, ticketView(t)).view.assignees).toEqual(['Carol']);
  });

  it("shows at most ten assignees and reads that list back as the ticket's", () => {
    const names = Array.from({ length: 12 }, (_, i) => `dev${String(i).padStart(2, '0')}`);
    const t = ticket({ assignees: names });
    const write = shown(t);
    expect(write.assignees).toEqual(names.slice(0, 10));
    expect(issueView(issueFrom(write), [], undefined, ticketView(t)).view.assignees).toEqual(names);
    expect(issueView(issueFrom(write), []).view.assignees).toEqual(names.slice(0, 10));
  });
});
