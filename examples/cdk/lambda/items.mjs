const items = new Map([
  ['1', { id: '1', name: 'keyboard' }],
  ['2', { id: '2', name: 'mouse' }],
]);

export const list = async (event, context) => ({
  items: [...items.values()],
  table: process.env.TABLE_NAME,
  user: event.requestContext.authorizer.jwt.claims.sub,
  function: context.functionName,
});

export const get = async (event, context) => {
  const item = items.get(event.pathParameters.id);
  if (!item) return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
  return { ...item, remaining: context.getRemainingTimeInMillis() };
};

export const create = async (event) => {
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
  const item = { id: String(items.size + 1), name: JSON.parse(body ?? '{}').name, by: event.requestContext.authorizer.lambda.client };
  items.set(item.id, item);
  return { statusCode: 201, body: JSON.stringify(item) };
};
