import { describe, expect, it } from 'vitest';
import { stampsOfHistory, type TicketVersion } from './local-stamps.js';
import { syncView } from '../../test/support/mapping.js';
import type { SyncView } from './types.js';

const view = (changes: Partial<SyncView> = {}) => syncView({ title: 'Login', description: 'About login.', ...changes });
const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, '0')}:00Z`;
const version = (minute: number, changes: Partial<SyncView>, writer = 'ada'): TicketVersion => ({ view: view(changes), writer, at: at(minute) });

describe('stampsOfHistory', () => {
  it('stamps a field with the version that set it, not with the later versions that changed other fields', () => {
    const current = view({ title: 'Renamed', priority: 'high' });
    const versions = [version(5, { title: 'Renamed', priority: 'high' }, 'bob'), version(3, { title: 'Renamed' }, 'ada'), version(1, {})];
    expect(stampsOfHistory(current, versions, ['title', 'priority'])).toEqual({ title: { writer: 'ada', at: at(3) }, priority: { writer: 'bob', at: at(5) } });
  });

  it('stamps a field set when the ticket first appeared', () => {
    const versions: TicketVersion[] = [version(5, {}), { view: undefined, writer: 'x', at: at(1) }];
    expect(stampsOfHistory(view(), versions, ['title'])).toEqual({ title: { writer: 'ada', at: at(5) } });
  });

  it('gives no stamp when every version read holds the value: where it was set lies further back', () => {
    expect(stampsOfHistory(view(), [version(5, {}), version(3, {})], ['title'])).toEqual({});
  });

  it('gives no stamp when the file as it is now is not in the history (an uncommitted change)', () => {
    expect(stampsOfHistory(view({ title: 'Uncommitted' }), [version(5, {}), version(3, { title: 'Other' })], ['title'])).toEqual({});
  });
});
