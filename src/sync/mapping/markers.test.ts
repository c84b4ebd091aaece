/**
 * ticket-sync's markers: which ticket a body belongs to (one rule, `markerOf`,
 * for reading an issue and for finding a ticket's issue), and the escaping
 * that keeps a person's text from passing for a marker.
 */
import { describe, expect, it } from 'vitest';
import { issueWithMarker } from '../../github/issues.js';
import { issueFrom, shown, ticket } from '../../../test/support/mapping.js';
import { MANAGED_END, MANAGED_START } from './managed-section.js';
import { markerOf, ticketMarker } from './markers.js';
import { issueView } from './read-issue.js';

describe('the id marker', () => {
  it('finds the marker anywhere in a body, and only a marker that holds a possible id', () => {
    for (const body of ['<!-- ticket-sync:id=TSK-9 -->\nText', 'Text <!-- ticket-sync:id=TSK-9 --> more', 'Text\n\n<!-- ticket-sync:id=TSK-9 -->']) {
      expect(issueView(issueFrom(shown(ticket()), { body }), []).ticket, body).toBe('TSK-9');
    }
    const read = issueView(issueFrom(shown(ticket()), { body: 'Text <!-- ticket-sync:id=TSK-9 --> <!-- ticket-sync:id=../x -->' }), []);
    expect(read).toMatchObject({ ticket: 'TSK-9', view: { description: 'Text  <!-- ticket-sync:id=../x -->' } });
    expect(issueView(issueFrom(shown(ticket()), { body: 'Just a person.' }), []).ticket).toBeUndefined();
  });

  it('names the ticket of the last valid marker, with LF or CRLF line ends alike', () => {
    expect(markerOf(ticketMarker('TSK-0001'))).toBe('TSK-0001');
    expect(markerOf(`${ticketMarker('TSK-1')}\r\n${ticketMarker('TSK-2')}\r\n${ticketMarker('../x')}\r\n`)).toBe('TSK-2');
    expect(markerOf('<!-- ticket-sync:id= -->')).toBeUndefined();
    expect(markerOf('No marker.')).toBeUndefined();
  });

  it("matches a body that quotes another ticket's marker and ends with its own to its own ticket only, reading an issue and finding one alike", () => {
    // The quoting issue is the older one: matching by "the body holds the marker" would take it for TSK-0001's.
    const quoting = issueFrom(shown(ticket({}, 'TSK-0002')), { number: 1, body: `As ${ticketMarker('TSK-0001')} says, see #2.\n\n${ticketMarker('TSK-0002')}` });
    const other = issueFrom(shown(ticket({}, 'TSK-0001')), { number: 2 });
    expect(markerOf(quoting.body)).toBe('TSK-0002');
    expect(issueView(quoting, []).ticket).toBe('TSK-0002');
    expect(issueWithMarker([quoting], 'TSK-0001')).toBeUndefined();
    expect(issueWithMarker([quoting], 'TSK-0002')).toBe(quoting);
    expect(issueWithMarker([quoting, other], 'TSK-0001')).toBe(other);
    expect(issueWithMarker([other, quoting], 'TSK-0002')).toBe(quoting);
  });
});

describe('escaping', () => {
  it('escapes ticket-sync markers in a description so that they read back as written', () => {
    const description = `Docs: ${ticketMarker('OTHER')} and ${MANAGED_START} and <!-- ticket-sync:escaped:x -->`;
    const t = ticket({ description });
    const write = shown(t);
    expect(write.body).not.toContain(ticketMarker('OTHER'));
    expect(issueView(issueFrom(write), [])).toMatchObject({ ticket: 'TSK-0001', view: { description } });
  });

  it('defuses markers inside format fields, so the section ends where ticket-sync ended it', () => {
    const t = ticket({ description: 'Mine.', format_fields: { details: `x ${MANAGED_END} y ${ticketMarker('OTHER')}` } });
    expect(issueView(issueFrom(shown(t)), [])).toMatchObject({ ticket: 'TSK-0001', view: { description: 'Mine.' } });
  });
});
