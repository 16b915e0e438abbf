import { compileRequestMapping, compileResponseMapping, parseIdentitySource, parseRouteKey, STAGE_NAME, validateCors, type ConfigIssue } from '@localgw/core';
import type { CorsConfiguration } from '../model/model.js';
import { badRequest } from './errors.js';

/**
 * The checks API Gateway makes when a resource is created or updated, as BadRequestException
 * texts. Where AWS's own text is known it is used word for word (CORS credentials with `*`,
 * aws-behavior.md §2.1); elsewhere the text says what is wrong and how to fix it, the same
 * rules localgw applies to a config file, so a request the gateway would refuse never lands.
 */

/** The first problem of a CORS configuration (aws-behavior.md §2.1), as AWS reports it. */
export function checkCors(cors: CorsConfiguration): void {
  const issue = validateCors(cors, '')[0];
  if (issue) throw badRequest(issueText(issue));
}

function issueText(issue: ConfigIssue): string {
  // AWS's wording for this one is known (aws-cdk#9076): no path, no hint, exactly as AWS says it.
  if (issue.message.startsWith('allow-credentials is not supported')) return issue.message;
  const where = issue.path ? `${issue.path}: ` : '';
  return `${where}${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
}

/** A route key as API Gateway stores it (§1.1), or BadRequestException. */
export function checkRouteKey(routeKey: string): string {
  const parsed = parseRouteKey(routeKey);
  if (!parsed.ok) throw badRequest(`Invalid route key "${routeKey}": ${parsed.message}${parsed.hint ? ` (${parsed.hint})` : ''}`);
  return parsed.value.routeKey;
}

export function checkStageName(name: string): void {
  if (!STAGE_NAME.test(name)) throw badRequest(`Invalid stage name "${name}": a stage name is "$default" or 1 to 128 letters, digits, "-" and "_"`);
}

const JWT_IDENTITY_SOURCE = /^\$request\.(header|querystring)\.[^\s.]+$/;

/** aws-behavior.md §3.1: one entry, a header or a query string selection. */
export function checkJwtIdentitySource(sources: readonly string[]): void {
  if (sources.length !== 1) throw badRequest(`A JWT authorizer takes exactly one identity source, got ${sources.length}`);
  if (!JWT_IDENTITY_SOURCE.test(sources[0]!)) {
    throw badRequest(`Invalid identity source "${sources[0]}" for a JWT authorizer: use "$request.header.NAME" or "$request.querystring.NAME"`);
  }
}

/** aws-behavior.md §5.2: each entry a header, query string, stage variable or context selection. */
export function checkRequestIdentitySources(sources: readonly string[]): void {
  for (const source of sources) {
    const parsed = parseIdentitySource(source);
    if (!parsed.ok) throw badRequest(`Invalid identity source "${source}": ${parsed.message}`);
  }
}

/**
 * A JWT issuer: an https URL, as AWS requires, or an http URL on loopback, which a local issuer
 * (a test's OIDC server) needs and which can only ever be reached from this machine.
 */
export function checkIssuer(issuer: string): void {
  if (HTTPS_URL.test(issuer) || LOOPBACK_HTTP_URL.test(issuer)) return;
  if (!/^https?:\/\/[^\s/?#]+/i.test(issuer)) throw badRequest(`Invalid issuer "${issuer}": the issuer is a URL, e.g. "https://cognito-idp.us-east-1.amazonaws.com/POOL_ID"`);
  throw badRequest(`Invalid issuer "${issuer}": the issuer must be an https URL (http is accepted only on 127.0.0.1 and localhost)`);
}

const HTTPS_URL = /^https:\/\/[^\s/?#]+/i;
const LOOPBACK_HTTP_URL = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?(?:[/?#]|$)/i;
const HTTP_URL = /^https?:\/\/[^\s/?#]+/i;

/** An HTTP_PROXY integration's URI: an http(s) URL (stage variables in it are filled in when served). */
export function checkHttpUri(uri: string): void {
  if (uri.includes('${stageVariables.') || HTTP_URL.test(uri)) return;
  throw badRequest(`Invalid integration URI "${uri}": an HTTP_PROXY integration's URI is an http or https URL`);
}

export function checkRequestParameters(parameters: Record<string, string>): void {
  const compiled = compileRequestMapping(parameters);
  if (!compiled.ok) {
    const issue = compiled.issues[0]!;
    throw badRequest(`Invalid mapping expression specified: requestParameters ${JSON.stringify(issue.key.join('.'))}: ${issue.message}`);
  }
}

export function checkResponseParameters(parameters: Record<string, Record<string, string>>): void {
  const compiled = compileResponseMapping(parameters);
  if (!compiled.ok) {
    const issue = compiled.issues[0]!;
    throw badRequest(`Invalid mapping expression specified: responseParameters ${JSON.stringify(issue.key.join('.'))}: ${issue.message}`);
  }
}

const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
// API Gateway's stage variable values: letters, digits and -._~:/?#&=, (at most 2048).
const STAGE_VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]{0,2048}$/;

export function checkStageVariables(variables: Record<string, string>): void {
  const names = Object.keys(variables);
  if (names.length > 100) throw badRequest(`A stage has at most 100 stage variables, got ${names.length}`);
  for (const [name, value] of Object.entries(variables)) {
    if (!STAGE_VARIABLE_NAME.test(name)) throw badRequest(`Invalid stage variable name "${name}": use 1 to 64 letters, digits and "_"`);
    if (!STAGE_VARIABLE_VALUE.test(value)) throw badRequest(`Invalid stage variable value for "${name}": use letters, digits and -._~:/?#&=, (at most 2048 characters)`);
  }
}
