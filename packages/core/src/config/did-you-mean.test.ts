import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean.js';
import { formatPath } from './issues.js';

describe('didYouMean', () => {
  it('finds transpositions, omissions and case slips', () => {
    expect(didYouMean('mian', ['main', 'admin'])).toBe('main');
    expect(didYouMean('handlr', ['handler', 'url'])).toBe('handler');
    expect(didYouMean('Routes', ['routes', 'stage'])).toBe('routes');
  });
  it('suggests nothing for unrelated words', () => {
    expect(didYouMean('database', ['main', 'admin'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('uses dots for identifiers and brackets for the rest', () => {
    expect(formatPath(['routes', 'GET /items/{id}', 'authorizer'])).toBe('routes["GET /items/{id}"].authorizer');
    expect(formatPath(['cors', 'allowOrigins', 1])).toBe('cors.allowOrigins[1]');
    expect(formatPath(['routes', '$default'])).toBe('routes.$default');
  });
});
