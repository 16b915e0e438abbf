import type { GatewayRequest } from '../../http/gateway-request.js';
import type { EventInput } from '../event-input.js';

/** 14/Apr/2025:22:13:56 +0000, the time of the §4.1 example. */
export const EXAMPLE_EPOCH = 1744668836573;

export const EXAMPLE_API = {
  apiId: 'abc123',
  accountId: '123456789012',
  domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
  domainPrefix: 'abc123',
} as const;

/** A GatewayRequest with the §4.1 example's identity; override what a test is about. */
export function makeRequest(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'GET',
    rawPath: '/',
    rawQueryString: '',
    rawHeaders: ['Host', EXAMPLE_API.domainName],
    body: undefined,
    sourceIp: '198.51.100.7',
    requestId: 'JCJJxhz4PHcEJgQ=',
    timeEpoch: EXAMPLE_EPOCH,
    ...overrides,
  };
}

/** An EventInput for `$default` on the `$default` stage; override what a test is about. */
export function makeInput(overrides: Partial<EventInput> = {}): EventInput {
  const request = overrides.request ?? makeRequest();
  return {
    request,
    routeKey: '$default',
    routePath: undefined,
    pathParameters: undefined,
    decodedPath: decodeURIComponent(request.rawPath),
    stage: '$default',
    stageVariables: undefined,
    authorizer: undefined,
    api: { ...EXAMPLE_API },
    ...overrides,
  };
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
