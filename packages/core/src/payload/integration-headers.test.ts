import { describe, expect, it } from 'vitest';
import { formatTraceId, withIntegrationHeaders } from './integration-headers.js';
import { EXAMPLE_EPOCH, makeRequest } from './test-support/event-input.js';

const valueOf = (pairs: string[], name: string): string[] =>
  pairs.filter((_, i) => i % 2 === 1 && pairs[i - 1]!.toLowerCase() === name);

describe('§4.1 headers API Gateway adds to the integration request', () => {
  it('adds X-Amzn-Trace-Id, X-Forwarded-For, -Port and -Proto in the captured capitalisation', () => {
    const pairs = withIntegrationHeaders(makeRequest({ rawHeaders: ['Host', 'h'] }), { port: '443', proto: 'https' });
    expect(pairs).toStrictEqual([
      'Host',
      'h',
      'X-Amzn-Trace-Id',
      formatTraceId('JCJJxhz4PHcEJgQ=', EXAMPLE_EPOCH),
      'X-Forwarded-For',
      '198.51.100.7',
      'X-Forwarded-Port',
      '443',
      'X-Forwarded-Proto',
      'https',
    ]);
  });

  it('adds the same headers with lower-case names for 2.0, client names untouched', () => {
    const pairs = withIntegrationHeaders(makeRequest({ rawHeaders: ['Host', 'h'] }), { port: '443', proto: 'https' }, true);
    expect(pairs.filter((_, i) => i % 2 === 0)).toStrictEqual(['Host', 'x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']);
    expect(pairs.filter((_, i) => i % 2 === 1)).toStrictEqual(['h', formatTraceId('JCJJxhz4PHcEJgQ=', EXAMPLE_EPOCH), '198.51.100.7', '443', 'https']);
  });

  it('appends the source IP to a client-sent X-Forwarded-For [INF]', () => {
    const pairs = withIntegrationHeaders(makeRequest({ rawHeaders: ['x-forwarded-for', '203.0.113.9'] }), undefined);
    expect(valueOf(pairs, 'x-forwarded-for')).toStrictEqual(['203.0.113.9, 198.51.100.7']);
  });

  it('replaces client-sent X-Forwarded-Port/Proto with the local connection', () => {
    const request = makeRequest({ rawHeaders: ['X-Forwarded-Proto', 'gopher', 'X-Forwarded-Port', '1'] });
    const pairs = withIntegrationHeaders(request, { port: '3000', proto: 'http' });
    expect(valueOf(pairs, 'x-forwarded-port')).toStrictEqual(['3000']);
    expect(valueOf(pairs, 'x-forwarded-proto')).toStrictEqual(['http']);
  });

  it('without connection info, adds no X-Forwarded-Port/Proto and keeps the client ones', () => {
    const pairs = withIntegrationHeaders(makeRequest({ rawHeaders: ['X-Forwarded-Proto', 'https'] }), undefined);
    expect(valueOf(pairs, 'x-forwarded-proto')).toStrictEqual(['https']);
    expect(valueOf(pairs, 'x-forwarded-port')).toStrictEqual([]);
  });

  it('keeps a client-sent X-Amzn-Trace-Id [INF]', () => {
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793';
    const pairs = withIntegrationHeaders(makeRequest({ rawHeaders: ['x-amzn-trace-id', trace] }), undefined);
    expect(valueOf(pairs, 'x-amzn-trace-id')).toStrictEqual([trace]);
  });

  it('§10 does not deliver the hop-by-hop Connection header, whatever its case', () => {
    const request = makeRequest({ rawHeaders: ['Host', 'h', 'Connection', 'keep-alive', 'connection', 'x-thing', 'Accept', '*/*'] });
    for (const lowerCaseNames of [false, true]) {
      const pairs = withIntegrationHeaders(request, { port: '443', proto: 'https' }, lowerCaseNames);
      expect(valueOf(pairs, 'connection')).toStrictEqual([]);
      expect(valueOf(pairs, 'accept')).toStrictEqual(['*/*']);
    }
  });

  it('does not modify request.rawHeaders', () => {
    const rawHeaders = ['X-Forwarded-For', '203.0.113.9'];
    withIntegrationHeaders(makeRequest({ rawHeaders }), { port: '443', proto: 'https' });
    expect(rawHeaders).toStrictEqual(['X-Forwarded-For', '203.0.113.9']);
  });
});

describe('§4.1 x-amzn-trace-id format', () => {
  it('is Root=1-<8 hex epoch seconds>-<24 hex>', () => {
    const trace = formatTraceId('JCJJxhz4PHcEJgQ=', EXAMPLE_EPOCH);
    expect(trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    // The capture of the same second reads Root=1-67fd88a4-…
    expect(trace.slice(7, 15)).toBe('67fd88a4');
  });

  it('is deterministic in request id and time', () => {
    // Pinned, so a faster implementation cannot change the ids quietly.
    expect(formatTraceId('JCJJxhz4PHcEJgQ=', EXAMPLE_EPOCH)).toBe('Root=1-67fd88a4-e460e94a996f4f4baa50e842');
    expect(formatTraceId('a', 1)).toBe('Root=1-00000000-5d921ee037b09337cdc0c9c6');
    expect(formatTraceId('a', 1)).toBe(formatTraceId('a', 1));
    expect(formatTraceId('a', 1)).not.toBe(formatTraceId('b', 1));
    expect(formatTraceId('a', 1)).not.toBe(formatTraceId('a', 2));
    // Both halves of the time count: epochs 2^32 ms apart differ only in the high word.
    expect(formatTraceId('a', 5).slice(16)).not.toBe(formatTraceId('a', 5 + 2 ** 32).slice(16));
  });

  it('gives distinct ids for many request ids', () => {
    const ids = new Set(Array.from({ length: 2000 }, (_, i) => formatTraceId(`req-${i}`, EXAMPLE_EPOCH)));
    expect(ids.size).toBe(2000);
  });
});
