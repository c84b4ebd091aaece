import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING } from '../config/mapping.js';
import { latestStamps, stampOfEdit, stampsOfEvents, type IssueChange } from './github-stamps.js';

const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, '0')}:00Z`;

describe('stampsOfEvents', () => {
  it('stamps each field with its latest event: a rename the title, a status label or a close the status, a priority label the priority', () => {
    const events: IssueChange[] = [
      { event: 'renamed', actor: 'ana', at: at(1), to: 'First' },
      { event: 'labeled', actor: 'bob', at: at(2), label: 'status: in progress' },
      { event: 'renamed', actor: 'cy', at: at(3), to: 'Second' },
      { event: 'labeled', actor: 'dee', at: at(4), label: 'priority: high' },
      { event: 'closed', actor: 'eve', at: at(5) },
      { event: 'labeled', actor: 'fay', at: at(6), label: 'backend' },
      { event: 'assigned', actor: 'gus', at: at(7) },
    ];
    expect(stampsOfEvents(events, 'Second', DEFAULT_MAPPING)).toEqual({
      title: { writer: 'cy', at: at(3) },
      status: { writer: 'eve', at: at(5) },
      priority: { writer: 'dee', at: at(4) },
      labels: { writer: 'fay', at: at(6) },
      assignees: { writer: 'gus', at: at(7) },
    });
  });

  it('leaves the title unknown when its latest rename is not to the title the issue shows', () => {
    expect(stampsOfEvents([{ event: 'renamed', actor: 'ana', at: at(1), to: 'Old' }], 'Something else', DEFAULT_MAPPING)).toEqual({});
  });

  it('keeps the latest event of a field even when events come out of order', () => {
    const events: IssueChange[] = [
      { event: 'unlabeled', actor: 'late', at: at(9), label: 'type: bug' },
      { event: 'labeled', actor: 'early', at: at(1), label: 'type: feature' },
    ];
    expect(stampsOfEvents(events, 'T', DEFAULT_MAPPING)).toEqual({ type: { writer: 'late', at: at(9) } });
  });

  it('stamps nothing from no events', () => {
    expect(stampsOfEvents([], 'T', DEFAULT_MAPPING)).toEqual({});
  });
});

describe('stampOfEdit', () => {
  const edit = { writer: 'ana', at: at(4), digest: 'abc' };
  it('stamps a text that is still the one the edit left', () => {
    expect(stampOfEdit(edit, 'abc')).toEqual({ writer: 'ana', at: at(4) });
  });
  it('stamps nothing once the text changed again (a later edit whose webhook has not come)', () => {
    expect(stampOfEdit(edit, 'def')).toBeUndefined();
    expect(stampOfEdit(undefined, 'abc')).toBeUndefined();
  });
});

describe('latestStamps', () => {
  it('keeps each field’s latest stamp across sources', () => {
    expect(latestStamps({ title: { writer: 'a', at: at(1) }, status: { writer: 'a', at: at(5) } }, { title: { writer: 'b', at: at(2) } })).toEqual({
      title: { writer: 'b', at: at(2) },
      status: { writer: 'a', at: at(5) },
    });
  });
});
