import type { GatewayResponse } from '../../http/gateway-responses.js';
import { mapStructuredResult, type ResultOutcome, type StructuredFields } from '../structured-result.js';

const FIELDS_V2: StructuredFields = { cookies: true, multiValueHeaders: false };

/**
 * Interprets a handler's output under payload format 2.0 (§4.4, §8 items 12–13). `payload` is
 * the raw text the Lambda runtime produced (a handler returning `undefined` gives `"null"`).
 *
 * | Output | Response |
 * |---|---|
 * | JSON object with a `statusCode` key | structured (see `mapStructuredResult`) |
 * | JSON string (`"test"`, `"Special \"quoted\" text"`) | 200 `application/json`, body unquoted |
 * | anything else: object without `statusCode`, array, number, boolean, `null`, non-JSON text | 200 `application/json`, body = the raw text |
 *
 * AWS does not check that the output is JSON (§4.4), so nothing here is rejected except a
 * structured response with bad fields. `bodyBytes`: see `mapStructuredResult` (only ever given
 * for an object with a numeric `statusCode`, so always a structured response).
 */
export function interpretResultV2(payload: string, bodyBytes?: Uint8Array): ResultOutcome {
  // Only objects and strings change the answer, so other outputs (large arrays included) are
  // passed through without being parsed.
  const first = firstNonWhitespace(payload);
  if (first === '{' || first === '"') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return rawJsonResponse(payload);
    }
    if (typeof parsed === 'string') return rawJsonResponse(parsed);
    if (parsed !== null && typeof parsed === 'object' && Object.hasOwn(parsed, 'statusCode')) {
      return mapStructuredResult(parsed as Record<string, unknown>, FIELDS_V2, bodyBytes);
    }
  }
  return rawJsonResponse(payload);
}

/** `interpretResultV2(payload).response`: the response the client gets (§4.4). */
export function mapResultV2(payload: string): GatewayResponse {
  return interpretResultV2(payload).response;
}

function rawJsonResponse(body: string): ResultOutcome {
  return { kind: 'response', response: { statusCode: 200, headers: [['content-type', 'application/json']], body } };
}

function firstNonWhitespace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    // JSON's whitespace: space, tab, LF, CR.
    if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return char;
  }
  return undefined;
}
