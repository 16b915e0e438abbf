/**
 * An error as the management API answers it (config-formats.md §5.4): the status of its type,
 * `x-amzn-ErrorType` (what the AWS SDK for JavaScript reads first, and botocore lets override
 * the body), and `{"message", "__type"}` in the body (botocore reads `__type` and `message`).
 */
export function errorResponse(error: { type: string; statusCode: number; message: string; resourceType?: string | undefined }, requestId: string): Response {
  const body: Record<string, string> = { __type: error.type, message: error.message };
  if (error.resourceType !== undefined) body.resourceType = error.resourceType;
  return new Response(JSON.stringify(body), {
    status: error.statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.type, 'x-amzn-requestid': requestId },
  });
}
