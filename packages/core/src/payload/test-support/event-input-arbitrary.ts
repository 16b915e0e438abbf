import fc from 'fast-check';
import type { EventInput } from '../event-input.js';
import { EXAMPLE_API, EXAMPLE_EPOCH, makeInput, makeRequest, utf8 } from './event-input.js';

// Random EventInputs for property tests of the event builders and their wire form. Skewed towards
// what the folding rules care about: the headers API Gateway treats specially, several Cookie
// headers, names repeated in other cases, `__proto__`, array-index names ("0", "123", which
// objects list first) and near misses ("01", "4294967295"), and text JSON must escape.

const SPECIAL_NAMES = [
  'Host', 'User-Agent', 'Accept', 'Content-Type', 'Cookie', 'X-Forwarded-For', 'X-Amzn-Trace-Id',
  'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Custom', '__proto__', 'constructor', 'toString',
  '0', '7', '123', '01', '-1', '4294967294', '4294967295', '',
];

const TRICKY_TEXT = [
  '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', '😀', 'é', ' ', ',', ';', '=', '&', '+', '%',
];

/** Text with the characters JSON escapes, lone surrogates, and the separators the folds split on. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.array(fc.oneof(fc.constantFrom(...TRICKY_TEXT), fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('')),
);

/** A name with each letter's case flipped at random, so `cookie`, `COOKIE` and `Cookie` all occur. */
const mixedCase = (names: fc.Arbitrary<string>) =>
  fc.tuple(names, fc.nat()).map(([name, mask]) =>
    [...name].map((c, i) => ((mask >> i) & 1 ? c.toUpperCase() : c.toLowerCase())).join(''),
  );

const headerName = fc.oneof({ weight: 4, arbitrary: mixedCase(fc.constantFrom(...SPECIAL_NAMES)) }, { weight: 1, arbitrary: text });

const headerValue = fc.oneof(
  fc.constantFrom('session=abc123; theme=dark', 'a=1;;b=2', ' ; ', '10.0.0.1', 'Root=1-abc', 'curl/8.2.1'),
  fc.constantFrom('application/json', 'text/plain; charset=utf-8', 'text/plain; charset=latin1', 'image/png'),
  text,
);

const headerPairs = fc
  .oneof(
    { weight: 6, arbitrary: fc.array(fc.tuple(headerName, headerValue), { maxLength: 10 }) },
    // Many headers, repeats likelier.
    { weight: 1, arbitrary: fc.array(fc.tuple(headerName, headerValue), { minLength: 20, maxLength: 40 }) },
  )
  .map((pairs) => pairs.flat());

/** Query strings from pieces: separators, `+`, good and bad escapes, repeated and array-index keys. */
const queryString = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc.constantFrom('a', 'B', 'tag', '=', '=', '&', '&', '&&', '+', '%', '%20', '%2B', '%zz', '%E2%82%AC', '%E2', '__proto__', '0', '12', '01', '"', '\\', 'é'),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 10 },
    )
    .map((parts) => parts.join('')),
  text,
);

const stringMap = fc.array(fc.tuple(fc.oneof(fc.constantFrom('id', 'proxy', '__proto__', '0', '12', ''), text), text), { maxLength: 4 });

const body = fc.option(fc.oneof(fc.uint8Array({ maxLength: 16 }), text.map(utf8)), { nil: undefined });

// Records with Object.prototype, like the pipeline's (fast-check may make them prototype-less).
const PLAIN = { noNullPrototype: true } as const;

const authorizer = fc.option(
  fc.record(
    {
      jwt: fc.record(
        { claims: stringMap.map((entries) => Object.fromEntries(entries)), scopes: fc.option(fc.array(text, { maxLength: 3 }), { nil: null }) },
        PLAIN,
      ),
    },
    PLAIN,
  ),
  { nil: undefined },
);

const forwarded = fc.option(fc.record({ port: fc.constantFrom('443', '3000'), proto: fc.constantFrom('https', 'http') }, PLAIN), {
  nil: undefined,
});

/** An EventInput of the shape the pipeline builds, with random request data. */
export const arbitraryEventInput: fc.Arbitrary<EventInput> = fc
  .record({
    rawHeaders: headerPairs,
    contentType: fc.option(headerValue, { nil: undefined }),
    rawQueryString: fc.oneof(fc.constant(''), queryString),
    body,
    method: fc.constantFrom('GET', 'POST', 'PUT'),
    decodedPath: fc.oneof(fc.constant('/'), text.map((t) => `/${t}`)),
    requestId: fc.oneof(fc.constant('JCJJxhz4PHcEJgQ='), text),
    sourceIp: fc.oneof(fc.constant('198.51.100.7'), text),
    timeEpoch: fc.oneof(fc.constant(EXAMPLE_EPOCH), fc.integer({ min: 0, max: 4102444800000 })),
    routeKey: fc.oneof(fc.constantFrom('$default', 'GET /items/{id}'), text),
    stage: fc.oneof(fc.constantFrom('$default', 'dev'), text),
    pathParameters: fc.option(stringMap, { nil: undefined }),
    stageVariables: fc.option(stringMap, { nil: undefined }),
    authorizer,
    forwarded,
    domainName: fc.oneof(fc.constant(EXAMPLE_API.domainName), text),
  })
  .map((r) =>
    makeInput({
      request: makeRequest({
        method: r.method,
        rawQueryString: r.rawQueryString,
        rawHeaders: r.contentType === undefined ? r.rawHeaders : [...r.rawHeaders, 'Content-Type', r.contentType],
        body: r.body,
        requestId: r.requestId,
        sourceIp: r.sourceIp,
        timeEpoch: r.timeEpoch,
      }),
      routeKey: r.routeKey,
      decodedPath: r.decodedPath,
      stage: r.stage,
      // fromEntries, so a `__proto__` key is an own key as in the pipeline's maps.
      pathParameters: r.pathParameters && Object.fromEntries(r.pathParameters),
      stageVariables: r.stageVariables && Object.fromEntries(r.stageVariables),
      authorizer: r.authorizer,
      api: { ...EXAMPLE_API, domainName: r.domainName },
      ...(r.forwarded && { forwarded: r.forwarded }),
    }),
  );
