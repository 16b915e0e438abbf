/**
 * The ARN a Lambda authorizer is asked about: `routeArn` (2.0) and `methodArn` (1.0), e.g.
 * `arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request` (§5.1); for the
 * `$default` stage `…/{apiId}/$default/GET/path`. The path is the request path without the
 * stage, as `$request.path` is (§1.2) [INF: the docs' example shows only this shape].
 */
export function routeArn(parts: { region: string; accountId: string; apiId: string; stage: string; method: string; path: string }): string {
  return `arn:aws:execute-api:${parts.region}:${parts.accountId}:${parts.apiId}/${parts.stage}/${parts.method}${parts.path}`;
}
