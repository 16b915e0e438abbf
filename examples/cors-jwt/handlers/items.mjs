// Items, behind the JWT authorizer: by the time a handler runs, the token was verified and the
// route's scope checked. Claims arrive as strings (requestContext.authorizer.jwt.claims).
const ITEMS = new Map([
  ['1', { id: '1', name: 'keyboard', price: 49 }],
  ['2', { id: '2', name: 'mouse', price: 19 }],
]);

const json = (statusCode, value) => ({
  statusCode,
  // x-api-id is listed in cors.exposeHeaders, so the page's script may read it.
  headers: { 'content-type': 'application/json', 'x-api-id': 'items-v1' },
  body: JSON.stringify(value),
});

export const get = async (event) => {
  const item = ITEMS.get(event.pathParameters.id);
  return item ? json(200, item) : json(404, { message: `no item ${event.pathParameters.id}` });
};

export const remove = async (event) => {
  const { sub } = event.requestContext.authorizer.jwt.claims;
  return json(200, { deleted: event.pathParameters.id, by: sub });
};
