import { describe, expect, it } from 'vitest';
import type { SyncView } from '../sync/types.js';
import { openStateStore } from './keyv-store.js';
import { overlay } from './overlay.js';

const view: SyncView = { title: 'T', description: '', status: 'open', priority: 'medium', type: 'task', labels: [], assignees: [], comments: [] };
const entry = { ticket: 'TSK-1', field: 'title' as const, side: 'github' as const, writer: 'w', at: '2026-01-01T00:00:00Z', before: null, after: 'T', cause: 'test' };

describe('the state overlay', () => {
  it('shows its own writes, keeps them from the inner store until flushed, then writes them through', async () => {
    const inner = await openStateStore('memory:');
    await inner.appendLog('acme/app', [entry]);
    const top = overlay(inner);
    await top.setBase('acme/app', 'TSK-1', view);
    await top.setLink('acme/app', 'TSK-1', 7);
    await top.setMeta('acme/app', 'k', { v: 1 });
    await top.setCached('etag-key', { etag: 'W/"x"', data: [1] });
    const appended = await top.appendLog('acme/app', [entry, entry]);

    expect(appended.map((e) => e.seq)).toEqual([2, 3]);
    expect(await top.getBase('acme/app', 'TSK-1')).toEqual(view);
    expect(await top.ticketForIssue('acme/app', 7)).toBe('TSK-1');
    expect(await inner.getBase('acme/app', 'TSK-1')).toBeUndefined();
    expect(await inner.getLink('acme/app', 'TSK-1')).toBeUndefined();
    expect(await inner.readLog('acme/app')).toHaveLength(1);

    await top.flush();
    expect(await inner.getBase('acme/app', 'TSK-1')).toEqual(view);
    expect(await inner.getLink('acme/app', 'TSK-1')).toBe(7);
    expect(await inner.getMeta('acme/app', 'k')).toEqual({ v: 1 });
    expect(await inner.getCached('etag-key')).toEqual({ etag: 'W/"x"', data: [1] });
    expect((await inner.readLog('acme/app')).map((e) => e.seq)).toEqual([1, 2, 3]);
    await inner.close();
  });
});
