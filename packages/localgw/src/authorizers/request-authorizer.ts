import {
  AuthorizerCache,
  buildAuthorizerEventV1,
  buildAuthorizerEventV2,
  evaluatePolicy,
  interpretAuthorizerAnswer,
  readIdentityValues,
  routeArn,
  type AuthorizerAnswer,
  type EventInput,
  type HandlerFunction,
  type LambdaAuthorizerResult,
  type ResolvedRequestAuthorizer,
} from '@localgw/core';
import type { HandlerRef, Runtime } from '@localgw/runtime';
import type { RequestTrace } from '../inspector/trace.js';

/** What the inspector keeps of an authorizer's invocation. */
interface TracedAuthorizer {
  event: unknown;
  answer: string | undefined;
}

/** API Gateway gives a Lambda authorizer 10 s (D-quotas, §5.3). */
export const AUTHORIZER_TIMEOUT_MS = 10_000;

/** The request as the authorizer step sees it: the integration event's input, before any authorizer. */
export type AuthorizerRequest = Omit<EventInput, 'authorizer'> & {
  /** The path without the stage, as the route ARN has it. */
  readonly pathWithoutStage: string;
};

export type RequestAuthorizerDecision =
  | {
      readonly kind: 'allow';
      /** Goes to the integration event (§5.5); one object per cached answer. */
      readonly result: LambdaAuthorizerResult;
      /** For the request log line: how it was decided. */
      readonly note: string;
    }
  | { readonly kind: 'deny'; readonly statusCode: 401 | 403 | 500; readonly reason: string };

/** How the authorizer's handler resolved: runnable, or why it cannot load (→ 500). */
export type AuthorizerTarget = { ok: true; handler: HandlerRef | HandlerFunction; environment: Record<string, string> } | { ok: false; message: string };

interface CachedAnswer {
  readonly answer: Exclude<AuthorizerAnswer, { kind: 'malformed' }>;
  readonly result: LambdaAuthorizerResult;
}

export interface RequestAuthorizer {
  readonly kind: 'request';
  readonly config: ResolvedRequestAuthorizer;
  readonly target: AuthorizerTarget;
  /** The function name the authorizer runs under (`context.functionName`, log tags). */
  readonly functionName: string;
  /** A cached answer, or a missing identity, is decided at once, without a promise. */
  authorize(request: AuthorizerRequest, runtime: Runtime, trace?: RequestTrace): Promise<RequestAuthorizerDecision> | RequestAuthorizerDecision;
  /** ResetAuthorizersCache (management API): every cached answer is forgotten. */
  clearCache(): void;
}

export interface RequestAuthorizerOptions {
  /** For ARNs: `AWS_REGION` of the handlers' environment. */
  region: string;
  functionName: string;
}

/**
 * A Lambda REQUEST authorizer (§5): reads the identity sources (any missing → 401 without
 * invoking, §5.2), answers from its cache when it can (§5.4), else invokes the authorizer's
 * handler in the runtime like any Lambda, with the payload-format event of §5.1, and reads its
 * answer (§5.3): a simple `isAuthorized`, or an IAM policy evaluated against this request's
 * route ARN — cached policies are re-evaluated for each route. Failures of the authorizer
 * (throws, times out, crashes, answers garbage) are 500, with the reason for the log.
 */
export function createRequestAuthorizer(config: ResolvedRequestAuthorizer, target: AuthorizerTarget, options: RequestAuthorizerOptions): RequestAuthorizer {
  const cache = new AuthorizerCache<CachedAnswer>();
  // Identical requests arriving while the authorizer runs wait for its one answer.
  const pending = new Map<string, Promise<CachedAnswer | RequestAuthorizerDecision>>();
  const caching = config.resultTtlMs > 0 && config.identitySource.length > 0;

  const decide = (cached: CachedAnswer, request: AuthorizerRequest, how: string): RequestAuthorizerDecision => {
    const { answer } = cached;
    if (answer.kind === 'simple') {
      return answer.authorized ? { kind: 'allow', result: cached.result, note: how } : { kind: 'deny', statusCode: 403, reason: `isAuthorized: false${how ? ` (${how})` : ''}` };
    }
    const arn = arnOf(request);
    const verdict = evaluatePolicy(answer.policy, arn);
    const who = answer.principalId === undefined ? '' : ` principalId=${answer.principalId}`;
    if (!verdict.allowed) return { kind: 'deny', statusCode: 403, reason: `${verdict.reason}${how ? ` (${how})` : ''}` };
    return { kind: 'allow', result: cached.result, note: `${how}${who}`.trim() };
  };

  const arnOf = (request: AuthorizerRequest) =>
    routeArn({
      region: options.region,
      accountId: request.api.accountId,
      apiId: request.api.apiId,
      stage: request.stage,
      method: request.request.method,
      path: request.pathWithoutStage,
    });

  const invoke = async (request: AuthorizerRequest, identityValues: readonly string[], runtime: Runtime, seen: TracedAuthorizer | undefined): Promise<CachedAnswer | RequestAuthorizerDecision> => {
    if (!target.ok) return { kind: 'deny', statusCode: 500, reason: `authorizer handler not resolved: ${target.message}` };
    const input: EventInput = { ...request, authorizer: undefined };
    const extras = { arn: arnOf(request), identitySource: identityValues };
    const event = config.payloadFormatVersion === '1.0' ? buildAuthorizerEventV1(input, extras) : buildAuthorizerEventV2(input, extras);
    if (seen) seen.event = event;
    const outcome = await runtime.invoke({
      functionName: options.functionName,
      handler: target.handler,
      event,
      requestId: request.request.requestId,
      routeKey: request.routeKey,
      timeoutMs: AUTHORIZER_TIMEOUT_MS,
      environment: target.environment,
    });
    if (seen && outcome.kind === 'ok') seen.answer = outcome.payload;
    switch (outcome.kind) {
      case 'ok': {
        const answer = interpretAuthorizerAnswer(outcome.payload, { payloadFormatVersion: config.payloadFormatVersion, simpleResponses: config.enableSimpleResponses });
        if (answer.kind === 'malformed') return { kind: 'deny', statusCode: 500, reason: `malformed authorizer answer: ${answer.reason}` };
        const result: LambdaAuthorizerResult =
          answer.kind === 'policy' && answer.principalId !== undefined ? { lambda: answer.context, principalId: answer.principalId } : { lambda: answer.context };
        return { answer, result };
      }
      case 'timeout':
        return { kind: 'deny', statusCode: 500, reason: `authorizer timed out after ${outcome.timeoutMs} ms` };
      case 'error':
        return { kind: 'deny', statusCode: 500, reason: `authorizer threw ${outcome.errorType}: ${outcome.errorMessage}` };
      case 'crash':
        return { kind: 'deny', statusCode: 500, reason: `authorizer crashed: ${outcome.reason}` };
      case 'load-error':
        return { kind: 'deny', statusCode: 500, reason: `authorizer failed to load: ${outcome.message}` };
    }
  };

  return {
    kind: 'request',
    config,
    target,
    functionName: options.functionName,
    authorize(request, runtime, trace) {
      const seen: TracedAuthorizer | undefined = trace ? { event: undefined, answer: undefined } : undefined;
      const done = (decision: RequestAuthorizerDecision, cacheState: 'hit' | 'miss' | 'off' | 'no-identity') => {
        if (trace) {
          trace.authorizer = {
            kind: 'request',
            name: config.name,
            allowed: decision.kind === 'allow',
            ...(decision.kind === 'deny' && { statusCode: decision.statusCode }),
            reason: decision.kind === 'deny' ? decision.reason : decision.note || 'allowed',
            cache: cacheState,
            ...(seen?.event !== undefined && { event: seen.event }),
            ...(seen?.answer !== undefined && { answer: seen.answer }),
          };
        }
        return decision;
      };
      const identity = readIdentityValues(config.identitySource, request);
      if (!identity.ok) return done({ kind: 'deny', statusCode: 401, reason: `missing or empty identity source ${identity.missing}` }, 'no-identity');
      const key = caching ? AuthorizerCache.keyOf(identity.values) : undefined;
      if (key !== undefined) {
        const cached = cache.get(key, Date.now());
        if (cached !== undefined) return done(decide(cached, request, 'cached'), 'hit');
        const waiting = pending.get(key);
        if (waiting !== undefined) return waiting.then((got) => done('answer' in got ? decide(got, request, 'cached') : got, 'hit'));
      }
      const running = invoke(request, identity.values, runtime, seen);
      if (key !== undefined) {
        pending.set(key, running);
        void running.then((got) => {
          pending.delete(key);
          if ('answer' in got) cache.set(key, got, config.resultTtlMs, Date.now());
        });
      }
      return running.then((got) => done('answer' in got ? decide(got, request, '') : got, caching ? 'miss' : 'off'));
    },
    clearCache: () => cache.clear(),
  };
}
