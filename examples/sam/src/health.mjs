// GET /health: open to everyone (Auth: Authorizer: NONE overrides the DefaultAuthorizer).
export const handler = async (event, context) => ({
  status: 'ok',
  stage: process.env.STAGE,
  function: context.functionName,
  apiId: event.requestContext.apiId,
});
