import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './view.js';

describe('a text as the view holds it', () => {
  it('folds CRLF, and a run of CRs before LF, to LF', () => {
    expect(normalizeText('a\r\nb\r\r\nc \r\n')).toBe('a\nb\nc');
  });

  it('is the same when folded twice, whatever the mix of CR, LF and white space', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('\r', '\n', ' ', '\t', 'a', '\u0000')).map((parts) => parts.join('')), (text) => {
        expect(normalizeText(normalizeText(text))).toBe(normalizeText(text));
      }),
      { numRuns: 500 },
    );
  });
});
