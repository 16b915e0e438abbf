/**
 * The Lambda function a URI names (config-formats.md §1.3.1), generalised from SAM CLI: the first
 * `arn:aws…:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` in the string (a plain function ARN,
 * or one wrapped in `arn:aws:apigateway:…:lambda:path/2015-03-31/functions/…/invocations`), else
 * the segment between `/functions/` and `/invocations`, else a bare function name.
 */
export interface LambdaTarget {
  functionName: string;
  qualifier: string | undefined;
}

const FUNCTION_ARN = /arn:aws[a-z-]*:lambda:[^:/]*:[^:/]*:function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?/;
const FUNCTIONS_PATH = /\/functions\/([^/]+)\/(?:response-streaming-)?invocations/;
const BARE_NAME = /^[A-Za-z0-9_-]{1,140}(?::[A-Za-z0-9_$-]+)?$/;

export function parseLambdaUri(uri: string, stageVariables: Readonly<Record<string, string>> = {}): LambdaTarget | undefined {
  // Stage variables first (SAM CLI drops such routes): `function:${stageVariables.fn}`.
  const text = uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (whole, name: string) => stageVariables[name] ?? whole);
  const arn = FUNCTION_ARN.exec(text);
  if (arn) return { functionName: arn[1]!, qualifier: arn[2] };
  const path = FUNCTIONS_PATH.exec(text);
  if (path) return parseBare(decodeURIComponent(path[1]!));
  return parseBare(text);
}

function parseBare(text: string): LambdaTarget | undefined {
  if (!BARE_NAME.test(text)) return undefined;
  const colon = text.indexOf(':');
  return colon === -1 ? { functionName: text, qualifier: undefined } : { functionName: text.slice(0, colon), qualifier: text.slice(colon + 1) };
}

/** The ARN `Fn::GetAtt Fn.Arn` resolves to locally. */
export function functionArn(partition: string, region: string, accountId: string, functionName: string): string {
  return `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
}
