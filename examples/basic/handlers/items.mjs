// A read-mostly items API. Each worker is its own Lambda execution environment, so state kept
// in module scope is per worker, exactly as on AWS: keep real state in a database.
const ITEMS = new Map([
  ['1', { id: '1', name: 'keyboard', price: 49 }],
  ['2', { id: '2', name: 'mouse', price: 19 }],
]);

const json = (statusCode, value) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

export const list = async () => json(200, { items: [...ITEMS.values()] });

export const get = async (event) => {
  const item = ITEMS.get(event.pathParameters.id);
  return item ? json(200, item) : json(404, { message: `no item ${event.pathParameters.id}` });
};

export const create = async (event) => {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  let input;
  try {
    input = JSON.parse(text);
  } catch {
    return json(400, { message: 'body must be JSON' });
  }
  const item = { id: String(Date.now()), ...input };
  return json(201, item);
};

export const remove = async (event) => ({ statusCode: 204, body: '' , headers: { 'x-deleted': event.pathParameters.id } });
