/**
 * Shared routing cases: every matcher test runs this table (hono `common.case.test.ts` style).
 * Each group is titled by the aws-behavior.md rule it demonstrates. Pure data, no test imports.
 */
export interface RouteCase {
  readonly name: string;
  /** Route keys as written in config, in config order. */
  readonly routes: readonly string[];
  readonly request: readonly [method: string, rawPath: string];
  /** The route key `match` selects; undefined means 404 (§1.6). */
  readonly expected: string | undefined;
  /** Expected `pathParameters`; omitted when the route has no variables (then it is undefined). */
  readonly pathParameters?: Readonly<Record<string, string>>;
}

/** §1.3 worked example routes, from the AWS developer guide. */
export const AWS_EXAMPLE_ROUTES = ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default'] as const;

const aws = (name: string, method: string, path: string, expected: string, pathParameters?: Record<string, string>): RouteCase => ({
  name,
  routes: AWS_EXAMPLE_ROUTES,
  request: [method, path],
  expected,
  ...(pathParameters && { pathParameters }),
});

export const ROUTE_CASES: Readonly<Record<string, readonly RouteCase[]>> = {
  '§1.3 route priority: the AWS worked example [DOC]': [
    aws('a full static match wins', 'GET', '/pets/dog/1', 'GET /pets/dog/1'),
    aws('a full match with a variable beats greedy routes', 'GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }),
    aws('with no full match, the greedy route for the method wins', 'GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }),
    aws('ANY covers methods not defined; greedy beats $default', 'POST', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }),
  ],
  '§1.3 route priority: the extra examples [INF]': [
    aws('a static route for another method does not match', 'POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }),
    aws('{proxy+} needs at least one segment after its prefix', 'GET', '/pets', 'ANY /{proxy+}', { proxy: 'pets' }),
    aws('ANY /{proxy+} matches the root path (§1.1, as the AWS test tool does)', 'DELETE', '/', 'ANY /{proxy+}', { proxy: '' }),
  ],
  '§1.3 route priority: full matches': [
    { name: 'at the first differing segment a literal beats a variable', routes: ['GET /{a}/b', 'GET /a/{b}'], request: ['GET', '/a/b'], expected: 'GET /a/{b}', pathParameters: { b: 'b' } },
    { name: 'a literal later on does not outweigh an earlier one', routes: ['GET /{a}/b/c', 'GET /a/{b}/{c}'], request: ['GET', '/a/b/c'], expected: 'GET /a/{b}/{c}', pathParameters: { b: 'b', c: 'c' } },
    { name: 'for the same template an explicit method beats ANY', routes: ['ANY /items/{id}', 'GET /items/{id}'], request: ['GET', '/items/1'], expected: 'GET /items/{id}', pathParameters: { id: '1' } },
    { name: 'ANY takes the methods that have no route of their own', routes: ['ANY /items/{id}', 'GET /items/{id}'], request: ['PATCH', '/items/1'], expected: 'ANY /items/{id}', pathParameters: { id: '1' } },
    { name: 'the template outranks the method: ANY on a literal beats GET on a variable', routes: ['GET /pets/{id}', 'ANY /pets/dog'], request: ['GET', '/pets/dog'], expected: 'ANY /pets/dog' },
    { name: 'a full match beats a greedy route with more literals and the exact method', routes: ['GET /x/{proxy+}', 'ANY /{a}/{b}'], request: ['GET', '/x/y'], expected: 'ANY /{a}/{b}', pathParameters: { a: 'x', b: 'y' } },
    { name: 'a literal that fails deeper down falls back to the variable branch', routes: ['GET /a/b/c', 'GET /{x}/b/d'], request: ['GET', '/a/b/d'], expected: 'GET /{x}/b/d', pathParameters: { x: 'a' } },
    { name: 'GET / matches only the root', routes: ['GET /', 'ANY /{proxy+}'], request: ['GET', '/'], expected: 'GET /' },
    { name: 'a variable does not match the empty path', routes: ['GET /{id}'], request: ['GET', '/'], expected: undefined },
    { name: 'a template must match every segment, not a prefix', routes: ['GET /items'], request: ['GET', '/items/1'], expected: undefined },
  ],
  '§1.3 route priority: greedy routes [INF step 5]': [
    { name: 'more literal segments before the greedy variable win (the undocumented tie)', routes: ['GET /{proxy+}', 'ANY /pets/{proxy+}'], request: ['GET', '/pets/x'], expected: 'ANY /pets/{proxy+}', pathParameters: { proxy: 'x' } },
    { name: 'with equal literals, an explicit method beats ANY', routes: ['ANY /pets/{proxy+}', 'GET /pets/{proxy+}'], request: ['GET', '/pets/x'], expected: 'GET /pets/{proxy+}', pathParameters: { proxy: 'x' } },
    { name: 'with equal literals and method, more segments before the greedy variable win', routes: ['GET /pets/{proxy+}', 'GET /pets/{kind}/{rest+}'], request: ['GET', '/pets/dog/1'], expected: 'GET /pets/{kind}/{rest+}', pathParameters: { kind: 'dog', rest: '1' } },
    { name: 'then a literal at the first differing segment wins', routes: ['GET /{a}/x/{p+}', 'GET /x/{a}/{p+}'], request: ['GET', '/x/x/y'], expected: 'GET /x/{a}/{p+}', pathParameters: { a: 'x', p: 'y' } },
    { name: 'the greedy value joins the remaining segments', routes: ['ANY /files/{path+}'], request: ['GET', '/files/a/b/c.txt'], expected: 'ANY /files/{path+}', pathParameters: { path: 'a/b/c.txt' } },
    { name: 'a greedy route below the root needs a segment: /pets is not /pets/{proxy+}', routes: ['GET /pets/{proxy+}'], request: ['GET', '/pets'], expected: undefined },
    { name: 'a trailing slash does not supply that segment', routes: ['GET /pets/{proxy+}'], request: ['GET', '/pets/'], expected: undefined },
    { name: 'greedy variables combine with earlier path variables', routes: ['GET /users/{id}/{proxy+}'], request: ['GET', '/users/7/a/b'], expected: 'GET /users/{id}/{proxy+}', pathParameters: { id: '7', proxy: 'a/b' } },
  ],
  '§1.3 route priority: $default and 404 (§1.6)': [
    { name: '$default catches what no route matches', routes: ['GET /items', '$default'], request: ['GET', '/other'], expected: '$default' },
    { name: '$default catches a known path with another method', routes: ['GET /items', '$default'], request: ['POST', '/items'], expected: '$default' },
    { name: 'with no $default, no match is a 404', routes: ['GET /items'], request: ['POST', '/items'], expected: undefined },
    { name: 'no routes at all is a 404', routes: [], request: ['GET', '/'], expected: undefined },
    { name: '$default alone catches the root', routes: ['$default'], request: ['GET', '/'], expected: '$default' },
  ],
  '§1.4 path details': [
    { name: 'a trailing slash is ignored for matching', routes: ['GET /items'], request: ['GET', '/items/'], expected: 'GET /items' },
    { name: 'doubled slashes are ignored for matching', routes: ['GET /items/{id}'], request: ['GET', '//items//1/'], expected: 'GET /items/{id}', pathParameters: { id: '1' } },
    { name: 'path parameters are percent-decoded', routes: ['GET /users/{name}'], request: ['GET', '/users/John%20Doe'], expected: 'GET /users/{name}', pathParameters: { name: 'John Doe' } },
    { name: 'unicode is decoded as UTF-8', routes: ['GET /tags/{tag}'], request: ['GET', '/tags/caf%C3%A9%20%E2%82%AC'], expected: 'GET /tags/{tag}', pathParameters: { tag: 'café €' } },
    { name: 'literals compare against the decoded segment', routes: ['GET /café'], request: ['GET', '/caf%C3%A9'], expected: 'GET /café' },
    { name: 'an encoded letter matches its literal', routes: ['GET /items'], request: ['GET', '/it%65ms'], expected: 'GET /items' },
    { name: '%2F does not split a segment: it stays in one parameter', routes: ['GET /files/{name}'], request: ['GET', '/files/a%2Fb'], expected: 'GET /files/{name}', pathParameters: { name: 'a/b' } },
    { name: '%2F does not split a segment: two literals do not match it', routes: ['GET /files/a/b'], request: ['GET', '/files/a%2Fb'], expected: undefined },
    { name: '%23 and %40 are decoded in parameters', routes: ['GET /x/{v}'], request: ['GET', '/x/%40id%23s'], expected: 'GET /x/{v}', pathParameters: { v: '@id#s' } },
    { name: 'parameters are decoded twice, as the live capture shows', routes: ['GET /x/{v}'], request: ['GET', '/x/a%2520b%253Fc%2525'], expected: 'GET /x/{v}', pathParameters: { v: 'a b?c%' } },
    { name: 'a twice-encoded %2F stays inside its segment too', routes: ['GET /files/{name}'], request: ['GET', '/files/a%252Fb'], expected: 'GET /files/{name}', pathParameters: { name: 'a/b' } },
    { name: 'literals compare against the twice-decoded segment', routes: ['GET /items'], request: ['GET', '/it%2565ms'], expected: 'GET /items' },
    { name: '+ is not a space in a path', routes: ['GET /x/{v}'], request: ['GET', '/x/a+b'], expected: 'GET /x/{v}', pathParameters: { v: 'a+b' } },
    { name: 'malformed escapes are kept as written (the pipeline answers 400 before matching)', routes: ['GET /x/{v}'], request: ['GET', '/x/100%25%zz%E2%82'], expected: 'GET /x/{v}', pathParameters: { v: '100%%zz%E2%82' } },
    { name: 'the greedy value is decoded and has no trailing slash', routes: ['ANY /{proxy+}'], request: ['GET', '/a%20b/c%2Fd/'], expected: 'ANY /{proxy+}', pathParameters: { proxy: 'a b/c/d' } },
    { name: 'literals are case-sensitive [INF]', routes: ['GET /Items'], request: ['GET', '/items'], expected: undefined },
    { name: 'a __proto__ variable is an ordinary parameter', routes: ['GET /x/{__proto__}'], request: ['GET', '/x/1'], expected: 'GET /x/{__proto__}', pathParameters: { ['__proto__']: '1' } },
  ],
  '§1.5 HEAD is its own method': [
    { name: 'HEAD does not fall back to GET', routes: ['GET /x'], request: ['HEAD', '/x'], expected: undefined },
    { name: 'HEAD does not fall back to a GET greedy route either', routes: ['GET /{proxy+}'], request: ['HEAD', '/x'], expected: undefined },
    { name: 'HEAD goes to $default when only GET is defined', routes: ['GET /x', '$default'], request: ['HEAD', '/x'], expected: '$default' },
    { name: 'HEAD matches ANY', routes: ['GET /x', 'ANY /x'], request: ['HEAD', '/x'], expected: 'ANY /x' },
    { name: 'HEAD matches its own route', routes: ['GET /x', 'HEAD /x', 'ANY /x'], request: ['HEAD', '/x'], expected: 'HEAD /x' },
  ],
  '§1.7 OPTIONS is an ordinary method for routing': [
    { name: 'OPTIONS /{proxy+} outranks $default', routes: ['$default', 'OPTIONS /{proxy+}'], request: ['OPTIONS', '/items'], expected: 'OPTIONS /{proxy+}', pathParameters: { proxy: 'items' } },
    { name: 'ANY captures OPTIONS', routes: ['ANY /user'], request: ['OPTIONS', '/user'], expected: 'ANY /user' },
    { name: 'a GET route leaves OPTIONS unmatched', routes: ['GET /user'], request: ['OPTIONS', '/user'], expected: undefined },
  ],
};
