/** The mapping part of the configuration: its defaults and what it refuses. */
import { describe, expect, it } from 'vitest';
import { MappingConfig } from './mapping.js';

describe('the mapping configuration', () => {
  it('fills every default from an empty object', () => {
    expect(MappingConfig.parse({})).toEqual({
      labels: { status: 'status: ', priority: 'priority: ', type: 'type: ' },
      assignees: {},
      showMetadata: [],
    });
  });

  it('keeps the defaults of the label prefixes it is not given', () => {
    expect(MappingConfig.parse({ labels: { status: 'state/' } }).labels).toEqual({ status: 'state/', priority: 'priority: ', type: 'type: ' });
  });

  it('refuses two names for one login, a blank prefix, prefixes that overlap and unknown keys', () => {
    for (const wrong of [
      { assignees: { alice: 'octocat', bob: 'Octocat' } },
      { labels: { type: '  ' } },
      { labels: { status: 'p', priority: 'prio: ' } },
      { labels: { type: 'status: ' } },
      { colours: {} },
    ]) {
      expect(MappingConfig.safeParse(wrong).success, JSON.stringify(wrong)).toBe(false);
    }
  });
});
