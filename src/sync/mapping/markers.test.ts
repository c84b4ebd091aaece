/**
 * ticket-sync's markers: which ticket a body belongs to (`markerOf`), and the
 * escaping that keeps a person's text from passing for a marker.
 */
import { describe, expect, it } from 'vitest';
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
