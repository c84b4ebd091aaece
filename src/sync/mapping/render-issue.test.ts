/** The issue ticket-sync writes for a ticket: its body's parts, in order. */
import { describe, expect, it } from 'vitest';
import { shown, ticket, issueFrom } from '../../../test/support/mapping.js';
import { ticketMarker } from './markers.js';
import { issueView } from './read-issue.js';
import { ticketView } from './render-issue.js';

describe('the issue body', () => {
  it('is the description and then the marker when there is nothing to manage', () => {
    const write = shown(ticket({ description: 'Throttle failed logins.\r\n\r\n' }));
    expect(write.body).toBe('Throttle failed logins.\n\n<!-- ticket-sync:id=TSK-0001 -->');
    expect(issueView(issueFrom(write), [])).toEqual({ ticket: 'TSK-0001', view: ticketView(ticket({ description: 'Throttle failed logins.' })) });
  });

  it('is the marker alone for a ticket without description', () => {
    expect(shown(ticket()).body).toBe(ticketMarker('TSK-0001'));
  });
});
