import type { GatewayResponse } from '../../http/gateway-responses.js';
import {
  describeJsonType,
  malformed,
  mapStructuredResult,
  type ResultOutcome,
  type StructuredFields,
} from '../structured-result.js';

const FIELDS_V1: StructuredFields = { cookies: false, multiValueHeaders: true };

/**
 * Interprets a handler's output under payload format 1.0 on an HTTP API (§4.5). The output must
 * be a JSON object with a valid `statusCode`; anything else (non-JSON text, a string, an array,
 * an object without `statusCode`) is `500 {"message":"Internal Server Error"}`, not REST's 502.
 * `headers` and `multiValueHeaders` are merged: a name in both is sent once per value, the
 * single value first (`Combined-Header` → three values). No content-type →
 * `text/plain; charset=utf-8`. `bodyBytes`: see `mapStructuredResult`.
 */
export function interpretResultV1(payload: string, bodyBytes?: Uint8Array): ResultOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return malformed('the output is not JSON; payload format 1.0 needs an object with statusCode');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return malformed(`the output is a JSON ${describeJsonType(parsed)}; payload format 1.0 needs an object with statusCode`);
  }
  return mapStructuredResult(parsed as Record<string, unknown>, FIELDS_V1, bodyBytes);
}

/** `interpretResultV1(payload).response`: the response the client gets (§4.5). */
export function mapResultV1(payload: string): GatewayResponse {
  return interpretResultV1(payload).response;
}
