/** GitHub's limits: long titles, bodies and entries cut with a note on GitHub, read back as the ticket's. */
import { describe, expect, it } from 'vitest';
import { issueFrom, shown, ticket } from '../../../test/support/mapping.js';
import { BODY_LIMIT, CUT_NOTE, TITLE_LIMIT, UNTITLED } from './limits.js';
import { MANAGED_END, MANAGED_START } from './managed-section.js';
import { ticketMarker } from './markers.js';
import { issueView } from './read-issue.js';
import { ticketView } from './render-issue.js';

describe("GitHub's limits", () => {
  it("cuts a long title on GitHub with a note, and reads it back as the ticket's title", () => {
    const title = 'Rate limiting '.repeat(30).trim();
    const t = ticket({ title });
    const write = shown(t);
    expect(write.title).toHaveLength(TITLE_LIMIT);
    expect(write.title.endsWith(CUT_NOTE)).toBe(true);
    expect(issueView(issueFrom(write), [], undefined, ticketView(t)).view.title).toBe(title);
    expect(title.startsWith(issueView(issueFrom(write), []).view.title)).toBe(true);
  });

  it('never splits a surrogate pair when it cuts', () => {
    // The cut falls right after the first half of an emoji: it goes back one.
    const room = TITLE_LIMIT - CUT_NOTE.length;
    const lead = 'a'.repeat(room % 2 === 0 ? 1 : 2);
    const write = shown(ticket({ title: lead + '😀'.repeat(200) }));
    expect(write.title).toBe(lead + '😀'.repeat((room - 1 - lead.length) / 2) + CUT_NOTE);
  });

  it('shows a stand-in title for an untitled ticket, GitHub refusing a blank one', () => {
    const t = ticket({ title: '  ' });
    const write = shown(t);
    expect(write.title).toBe(UNTITLED);
    expect(issueView(issueFrom(write), [], undefined, ticketView(t)).view.title).toBe('');
  });

  it("cuts a long description with a note, keeps the marker last, and reads the ticket's description back", () => {
    const description = 'Lorem ipsum dolor sit amet. '.repeat(3000).trim();
    const t = ticket({ description, format_fields: { fiefdom: 'auth' } });
    const write = shown(t);
    expect(write.body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(write.body.endsWith(`${CUT_NOTE}\n\n${ticketMarker('TSK-0001')}`)).toBe(true);
    expect(write.body).not.toContain(MANAGED_START);
    expect(issueView(issueFrom(write), [], undefined, [undefined, ticketView(t)])).toEqual({ ticket: 'TSK-0001', view: ticketView(t) });
  });

  it('reads an edit of a cut description as the text a person left, without the note', () => {
    const t = ticket({ description: 'x'.repeat(BODY_LIMIT) });
    const write = shown(t);
    const edited = write.body.replace(/^x+/, 'Shorter now.');
    expect(issueView(issueFrom(write, { body: edited }), [], undefined, ticketView(t)).view.description).toBe('Shorter now.');
  });

  it('names the managed entries that do not fit with the note, and shows the ones that do', () => {
    const t = ticket({ description: 'y'.repeat(BODY_LIMIT - 400), format_fields: { details: 'z'.repeat(500), fiefdom: 'auth' } });
    const write = shown(t);
    expect(write.body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(write.body).toContain(`**details:** ${CUT_NOTE}\n\n**fiefdom:** auth\n${MANAGED_END}`);
    expect(issueView(issueFrom(write), []).view.description).toBe('y'.repeat(BODY_LIMIT - 400));
  });
});
