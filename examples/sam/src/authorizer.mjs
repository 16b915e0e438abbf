// A Lambda REQUEST authorizer with simple responses: the x-api-key header must be API_KEY.
export const handler = async (event) => ({
  isAuthorized: Boolean(process.env.API_KEY) && event.headers?.['x-api-key'] === process.env.API_KEY,
  context: { client: 'machine' },
});
