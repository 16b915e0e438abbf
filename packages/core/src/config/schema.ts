import { z } from 'zod';

/**
 * The one source of truth for the config file. The TypeScript types (`LocalgwConfig`), the
 * validation and the shipped JSON Schema (`localgw/schema.json`, docs/configuration.md) all come
 * from here. Objects are strict: an unknown key is an error, because a typo'd key silently
 * ignored is the worst kind of config bug.
 */

/** A handler function given directly in an inline config (programmatic use only). */
export type HandlerFunction = (event: any, context: any, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/** API Gateway's stage names: `$default`, or letters, digits, `-` and `_` (at most 128). */
export const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;

const handlerFunction = z.custom<HandlerFunction>((value) => typeof value === 'function', {
  message: 'expected a "FILE.EXPORT" string or a function',
});

const scopes = z
  .array(z.string().min(1))
  .max(10)
  .describe('OAuth scopes the JWT must hold at least one of (`scope` or `scp` claim). At most 10, like API Gateway. A missing scope answers 403.');

const throttleSchema = z
  .strictObject({
    rateLimit: z.number().min(0).describe('Steady-state requests per second (ThrottlingRateLimit).'),
    burstLimit: z.number().int().min(0).describe('Requests the bucket holds at once (ThrottlingBurstLimit).'),
  })
  .describe('API Gateway throttling: a token bucket of burstLimit requests refilled at rateLimit per second; an empty bucket answers 429 {"message":"Too Many Requests"}.');

const requestParameters = z
  .record(z.string(), z.string())
  .describe('Request parameter mapping: "append|overwrite|remove:header.NAME", "append|overwrite|remove:querystring.NAME" or "overwrite:path" → a value ($request.header.NAME, $request.querystring.NAME, $request.path, $request.path.NAME, $request.body.PATH, $context.NAME, $stageVariables.NAME or static text).');

const responseParameters = z
  .record(z.string(), z.record(z.string(), z.string()))
  .describe('Response parameter mapping per backend status code ("500"): "append|overwrite|remove:header.NAME" or "overwrite:statuscode" → a value ($response.header.NAME, $response.body.PATH, $context.NAME, $stageVariables.NAME or static text).');

const functionName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a Lambda function name is 1 to 64 letters, digits, "-" and "_"')
  .describe('The Lambda function\'s name: context.functionName and AWS_LAMBDA_FUNCTION_NAME. Default: derived from the route (an imported template sets its FunctionName or logical id).');

const runtime = z
  .string()
  .min(1)
  .describe('The Lambda runtime identifier. Absent or "nodejs…": the handler runs in Node.js worker threads. "python3.…": HANDLER is "FOLDER/MODULE.FUNCTION" (MODULE may name a package with dots), run by the local Python 3 (LOCALGW_PYTHON, a .venv beside the handler, VIRTUAL_ENV, else python3 on PATH). "provided.al2023", "provided.al2", "go1.x": HANDLER is "FOLDER/NAME", FOLDER holds an executable bootstrap (see "bootstrap") and NAME becomes _HANDLER. Both speak the Lambda Runtime API, as on Lambda.');

const bootstrap = z
  .string()
  .min(1)
  .describe('Custom runtimes ("provided…"): the executable that speaks the Runtime API, relative to the config file. Default: "bootstrap" in the handler\'s folder.');

const routeShared = {
  /** Name of an entry in `authorizers` that protects this route. */
  authorizer: z.string().describe('Name of an entry in `authorizers` that protects this route. Absent: no authorization (NONE).').optional(),
  /** Scopes required by the JWT authorizer. */
  authorizationScopes: scopes.optional(),
  /** Integration timeout in seconds (API Gateway: 0.05–30, default 30). Exceeding it answers 503. */
  timeout: z
    .number()
    .min(0.05)
    .max(30)
    .describe('Integration timeout in seconds, 0.05 to 30 (API Gateway\'s limits). Default 30. A handler that takes longer gets 503 {"message":"Service Unavailable"}.')
    .optional(),
  requestParameters: requestParameters.optional(),
  responseParameters: responseParameters.optional(),
  throttle: throttleSchema.describe('Throttling for this route, instead of the API-wide "throttle".').optional(),
};

export const lambdaRouteSchema = z
  .strictObject({
    /** `FILE.EXPORT`, relative to the config file; FILE may omit `.js/.mjs/.cjs/.ts/.mts`. */
    handler: z
      .union([z.string().min(1), handlerFunction])
      .describe('The Lambda handler as "FILE.EXPORT", relative to the config file (FILE may omit .js/.mjs/.cjs/.ts/.mts), e.g. "handlers/items.get". Inline configs may pass a function.'),
    ...routeShared,
    /** Lambda event shape. @default "2.0" */
    payloadFormatVersion: z.enum(['1.0', '2.0']).describe('Event and response format of the Lambda proxy integration. Default "2.0".').optional(),
    /** Environment variables for this handler (added to the Lambda ones). */
    environment: z.record(z.string(), z.string()).describe('Environment variables for this handler, added to the Lambda runtime variables.').optional(),
    functionName: functionName.optional(),
    runtime: runtime.optional(),
    bootstrap: bootstrap.optional(),
  })
  .describe('A Lambda proxy integration (AWS_PROXY).');

export const httpRouteSchema = z
  .strictObject({
    /** Backend URL; `{var}` and `{proxy}` are replaced by path parameters. */
    url: z
      .string()
      .min(1)
      .describe('HTTP proxy integration URL. Path variables are substituted ({id}, greedy {proxy} without the +). For $default the full request path is appended.'),
    /** Method used toward the backend. @default the client's method */
    method: z.string().describe('Method sent to the backend. Default: the client\'s method (ANY).').optional(),
    ...routeShared,
  })
  .describe('An HTTP proxy integration (HTTP_PROXY).');

export const routeSchema = z.union([
  z.string().min(1).describe('Shorthand for { "handler": "FILE.EXPORT" }.'),
  lambdaRouteSchema,
  httpRouteSchema,
]);

export const corsSchema = z
  .strictObject({
    allowOrigins: z
      .array(z.string())
      .describe('Access-Control-Allow-Origin: exact origins ("https://www.example.com"), "*", "https://*" or "http://*". No partial wildcards.')
      .optional(),
    allowCredentials: z.boolean().describe('Access-Control-Allow-Credentials: true. Not allowed with a "*" origin.').optional(),
    exposeHeaders: z.array(z.string()).describe('Access-Control-Expose-Headers, e.g. ["Date", "x-api-id"].').optional(),
    maxAge: z.number().int().describe('Access-Control-Max-Age in seconds, -1 to 86400.').optional(),
    allowMethods: z.array(z.string()).describe('Access-Control-Allow-Methods: HTTP methods or "*".').optional(),
    allowHeaders: z.array(z.string()).describe('Access-Control-Allow-Headers: header names or "*".').optional(),
  })
  .describe('CORS configuration, applied by the gateway for the whole API. Absent: CORS not configured.');

export const jwtAuthorizerSchema = z
  .strictObject({
    type: z.literal('jwt').describe('A JWT authorizer.'),
    issuer: z.string().min(1).describe('Expected "iss" claim, exactly (e.g. https://cognito-idp.us-east-1.amazonaws.com/POOL_ID).'),
    audience: z
      .array(z.string().min(1))
      .min(1)
      .max(50)
      .describe('Accepted audiences: the token\'s "aud" must contain one, or, when "aud" is absent, its "client_id" must be one.'),
    identitySource: z
      .string()
      .describe('Where the token is read: "$request.header.NAME" or "$request.querystring.NAME". Default "$request.header.Authorization".')
      .optional(),
    jwks: z
      .union([z.string().min(1), z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())) })])
      .describe('Signing keys: a JWKS file (relative to the config), an http(s) URL, or an inline {"keys":[...]}. Absent: OIDC discovery at ISSUER/.well-known/openid-configuration.')
      .optional(),
  })
  .describe('A JWT authorizer, verified with real signatures like API Gateway\'s.');

export const requestAuthorizerSchema = z
  .strictObject({
    type: z.literal('request').describe('A Lambda REQUEST authorizer.'),
    handler: z
      .union([z.string().min(1), handlerFunction])
      .describe('The authorizer Lambda as "FILE.EXPORT", relative to the config file, like a route handler. Inline configs may pass a function.'),
    payloadFormatVersion: z
      .enum(['1.0', '2.0'])
      .describe('Format of the event the authorizer receives (and, with 1.0, of its answer). API Gateway requires it.'),
    enableSimpleResponses: z
      .boolean()
      .describe('With payload 2.0: the authorizer answers { "isAuthorized": true|false, "context": {...} } instead of an IAM policy. Default false.')
      .optional(),
    identitySource: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .describe('Where the identity comes from: "$request.header.NAME", "$request.querystring.NAME", "$context.NAME", "$stageVariables.NAME". If any is missing or empty the answer is 401 without invoking the authorizer. Also the cache key.')
      .optional(),
    resultTtlInSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .describe('How long an answer is cached, per identity source values, 0 to 3600. 0 disables caching. Default 300 with identity sources (as SAM and CDK), else 0.')
      .optional(),
    environment: z.record(z.string(), z.string()).describe('Environment variables for the authorizer Lambda.').optional(),
    functionName: functionName.optional(),
    runtime: runtime.optional(),
    bootstrap: bootstrap.optional(),
  })
  .describe('A Lambda REQUEST authorizer (authorizerType REQUEST), run like any handler.');

export const authorizerSchema = z.discriminatedUnion('type', [jwtAuthorizerSchema, requestAuthorizerSchema]);

/** An API id as a Host label: `{apiId}.execute-api.localhost`. */
export const API_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const functionSchema = z.union([
  z.string().min(1).describe('Shorthand for { "handler": "FILE.EXPORT" }.'),
  z
    .strictObject({
      handler: z.union([z.string().min(1), handlerFunction]).describe('The function\'s handler as "FILE.EXPORT", relative to the config file. Inline configs may pass a function.'),
      environment: z.record(z.string(), z.string()).describe('Environment variables of the function.').optional(),
    })
    .describe('A Lambda function: its handler and environment.'),
]);

export const configSchema = z
  .strictObject({
    $schema: z.string().describe('Path or URL of localgw\'s JSON Schema, for editor completion.').optional(),
    apiId: z
      .string()
      .regex(API_ID, 'an API id is 1 to 63 lower-case letters, digits and "-", starting and ending with a letter or digit')
      .describe('The API\'s id: requestContext.apiId, the management API\'s apiId (aws --endpoint-url … apigatewayv2 get-apis), and the Host {apiId}.execute-api.localhost it is also served at. Default "localgw".')
      .optional(),
    functions: z
      .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a Lambda function name is 1 to 64 letters, digits, "-" and "_"'), functionSchema)
      .describe('Lambda functions by name, for integrations that name a function rather than a handler: an AWS_PROXY integrationUri created through the management API (arn:aws:lambda:REGION:ACCOUNT:function:NAME, or NAME).')
      .optional(),
    stage: z
      .string()
      .regex(STAGE_NAME, 'a stage name is "$default" or 1 to 128 letters, digits, "-" and "_"')
      .describe('Stage name. "$default" (the default) serves from the root; any other name prefixes every path with /NAME.')
      .optional(),
    stageVariables: z.record(z.string(), z.string()).describe('Stage variables, passed to handlers as event.stageVariables.').optional(),
    cors: corsSchema.optional(),
    authorizers: z.record(z.string(), authorizerSchema).describe('Authorizers by name, referenced from routes: "jwt" or "request" (Lambda).').optional(),
    throttle: throttleSchema.describe('Default throttling for every route (the stage\'s default route settings). Absent: no throttling.').optional(),
    devTokens: z
      .boolean()
      .describe('Trust tokens signed by the local dev key (.localgw/) in every JWT authorizer. Default true.')
      .optional(),
    idleTimeout: z
      .number()
      .min(0)
      .max(86_400)
      .describe(
        'Seconds a handler worker may stay idle before it is stopped, freeing its thread and memory (the next request starts a new one, a cold start), as Lambda reclaims idle execution environments. Default 300: Lambda keeps an idle environment for minutes, and a developer coming back after a short break still finds the function warm. 0: never stopped for being idle.',
      )
      .optional(),
    maxIdleWorkers: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .describe(
        'How many idle handler workers (and runtime processes) may stay warm at once, across all functions: past it, the one idle longest is stopped, and its function\'s next request is a cold start. Each costs about 8 MB, so memory follows what is in use, not the size of the project (200 functions served once each would otherwise keep 1.6 GB). Busy workers never count. Default 32.',
      )
      .optional(),
    routes: z
      .record(z.string(), routeSchema)
      .describe('Routes by route key: "$default" or "METHOD /path" where METHOD is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY, and the path may use {var} and a final {var+}.'),
  })
  .describe('localgw configuration: an API Gateway HTTP API.');

export type LocalgwConfig = z.input<typeof configSchema>;
export type RouteConfig = z.input<typeof routeSchema>;
export type LambdaRouteConfig = z.input<typeof lambdaRouteSchema>;
export type HttpRouteConfig = z.input<typeof httpRouteSchema>;
export type JwtAuthorizerConfigInput = z.input<typeof jwtAuthorizerSchema>;
export type RequestAuthorizerConfigInput = z.input<typeof requestAuthorizerSchema>;
export type ThrottleConfigInput = z.input<typeof throttleSchema>;
export type CorsConfigInput = z.input<typeof corsSchema>;
