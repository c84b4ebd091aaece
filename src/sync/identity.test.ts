import { describe, expect, it } from 'vitest';
import { fileLinks, recordedLink, recoveryMarker } from './identity.js';

const body = (id: string) => `Text.\n\n<!-- ticket-sync:id=${id} -->`;

describe('the marker of an issue', () => {
  it('counts on an issue ticket-sync opened, whatever the case of its login', () => {
    expect(recoveryMarker({ author: 'Ticket-Sync[bot]', body: body('TSK-0001') }, 'ticket-sync[bot]')).toBe('TSK-0001');
  });

  it('never counts on an issue a person opened, whatever it says', () => {
    expect(recoveryMarker({ author: 'mallory', body: body('TSK-0001') }, 'ticket-sync[bot]')).toBeUndefined();
  });
});

describe('the link of a ticket', () => {
  const claimed = fileLinks([
    { ticket: { id: '1.1', github: { issue: 2 } } },
    { ticket: { id: '3', github: { issue: 9 } } },
    { ticket: { id: '4', github: { issue: 9 } } },
  ]);

  it('is its file’s link first', () => {
    expect(recordedLink('1.1', 2, 5, claimed)).toBe(2);
  });

  it('is the state’s link when the file has none and no other ticket’s file claims that issue', () => {
    expect(recordedLink('7', undefined, 5, claimed)).toBe(5);
  });

  it('is none when the state’s link names an issue another ticket’s file claims (an id a tool reused)', () => {
    expect(recordedLink('2', undefined, 2, claimed)).toBeUndefined();
  });

  it('keeps every ticket’s state link off an issue two files claim', () => {
    expect(claimed.get(9)).toBeNull();
    expect(recordedLink('5', undefined, 9, claimed)).toBeUndefined();
  });
});
