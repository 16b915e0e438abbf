import { describe, expect, it } from 'vitest';
import { explainMatch } from './explain.js';
import { parseRouteKey } from './route-key.js';

const routes = (...texts: string[]) =>
  texts.map((text) => {
    const parsed = parseRouteKey(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return { key: parsed.value };
  });

// §1.3's worked example.
const AWS = routes('GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default');

describe('§1.3 explainMatch: the candidates, in priority order, and the rule that decided', () => {
  it('a literal beats a variable, which beats greedy routes', () => {
    const story = explainMatch(AWS, 'GET', '/pets/dog/1');
    expect(story.selected).toBe('GET /pets/dog/1');
    expect(story.candidates).toEqual([
      { routeKey: 'GET /pets/dog/1', rule: 'a full match of the path' },
      { routeKey: 'GET /pets/dog/{id}', rule: 'a literal beats a variable at segment 3 (§1.3 step 3)' },
      { routeKey: 'GET /pets/{proxy+}', rule: 'a full match beats a greedy variable (§1.3 step 2)' },
      { routeKey: 'ANY /{proxy+}', rule: 'more literal segments before the greedy variable (§1.3 step 5)' },
    ]);
    expect(story.decision).toBe('GET /pets/dog/1 wins over GET /pets/dog/{id}: a literal beats a variable at segment 3 (§1.3 step 3)');
  });

  it('an explicit method beats ANY; routes of other methods are listed apart', () => {
    const story = explainMatch(routes('ANY /items', 'GET /items', 'POST /items'), 'GET', '/items');
    expect(story.candidates.map((c) => c.routeKey)).toEqual(['GET /items', 'ANY /items']);
    expect(story.decision).toContain('an explicit method beats ANY (§1.3 step 4)');
    expect(story.otherMethods).toEqual([{ routeKey: 'POST /items', rule: "its method is POST, the request's GET" }]);
  });

  it('HEAD is its own method; $default takes what nothing else fits; without it, 404', () => {
    const story = explainMatch(routes('GET /a', '$default'), 'HEAD', '/a');
    expect(story.selected).toBe('$default');
    expect(story.otherMethods[0]!.rule).toContain('HEAD is its own method');
    expect(explainMatch(routes('GET /a'), 'GET', '/b')).toMatchObject({ selected: undefined, decision: expect.stringContaining('404') });
  });
});
