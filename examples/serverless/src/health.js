export const handler = async (event, context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'ok', stage: process.env.STAGE, function: context.functionName, apiId: event.requestContext.apiId }),
});
