export const handler = async (event, context) => ({ status: 'ok', function: context.functionName, apiId: event.requestContext.apiId });
