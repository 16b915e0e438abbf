// An in-memory table stands in for DynamoDB (TABLE_NAME says which one it would be).
const items = new Map([
  ['1', { id: '1', name: 'keyboard' }],
  ['2', { id: '2', name: 'mouse' }],
]);

const json = (statusCode, body) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// GET /items, behind the Cognito JWT authorizer: the caller's claims come with the event.
export const list = async (event) =>
  json(200, { table: process.env.TABLE_NAME, items: [...items.values()], user: event.requestContext.authorizer.jwt.claims.sub });

// GET /items/{id}, payload format 1.0 (PayloadFormatVersion: "1.0").
export const get = async (event) => {
  const item = items.get(event.pathParameters.id);
  return item ? json(200, item) : json(404, { message: `no item ${event.pathParameters.id}` });
};

// POST /items, behind the API-key Lambda authorizer, whose context arrives in the event.
export const create = async (event, context) => {
  // API Gateway base64-encodes bodies it does not know to be text (no or a binary content-type).
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
  const { name } = JSON.parse(body ?? '{}');
  const item = { id: String(items.size + 1), name, createdBy: event.requestContext.authorizer.lambda.client };
  items.set(item.id, item);
  return json(201, { ...item, function: context.functionName });
};
