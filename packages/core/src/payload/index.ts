import { buildEventV1 } from './v1/event.js';
import { interpretResultV1, mapResultV1 } from './v1/result.js';
import { buildEventV2 } from './v2/event.js';
import { interpretResultV2, mapResultV2 } from './v2/result.js';

/**
 * The two Lambda payload formats behind one small interface (§4): build the event for a
 * request, map the handler's raw output to a response. Keyed by `payloadFormatVersion`. (A
 * handler's worker thread builds its events itself, from `encodeEventInput`'s fields: event-wire.ts.)
 */
export const PAYLOAD_FORMATS = {
  '1.0': { buildEvent: buildEventV1, mapResult: mapResultV1, interpretResult: interpretResultV1 },
  '2.0': { buildEvent: buildEventV2, mapResult: mapResultV2, interpretResult: interpretResultV2 },
} as const;

export type PayloadFormatVersion = keyof typeof PAYLOAD_FORMATS;

export { decodeBase64, encodeBase64 } from './base64.js';
export { encodeRequestBody, isTextContentType } from './body.js';
export { buildWireEvent, decodeEventInput, encodeEventInput, encodeWireContext } from './event-wire.js';
export { toEventClaims } from './claims.js';
export {
  decodeQueryComponent,
  foldHeadersV1,
  foldHeadersV2,
  parseQueryV1,
  parseQueryV2,
  splitCookieHeader,
} from './headers.js';
export { formatTraceId, withIntegrationHeaders } from './integration-headers.js';
export { formatRequestTime } from './request-time.js';
export { DEFAULT_CONTENT_TYPE } from './structured-result.js';
export { buildEventV1 } from './v1/event.js';
export { interpretResultV1, mapResultV1 } from './v1/result.js';
export { buildEventV2 } from './v2/event.js';
export { interpretResultV2, mapResultV2 } from './v2/result.js';

export type { EncodedBody } from './body.js';
export type { AuthorizerResult, EventInput, JwtAuthorizerResult, LambdaAuthorizerResult } from './event-input.js';
export type { WireContext, WireEvent, WireFields, WirePayloadFormat } from './event-wire.js';
export type { FoldedHeadersV1, FoldedHeadersV2, ParsedQueryV1 } from './headers.js';
export type { ForwardedInfo } from './integration-headers.js';
export type { ResultOutcome } from './structured-result.js';
export type { IntegrationEventV1 } from './v1/event.js';
export type { IntegrationEventV2 } from './v2/event.js';
