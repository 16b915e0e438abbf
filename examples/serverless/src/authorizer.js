// A Lambda REQUEST authorizer with simple responses: the X-Api-Key header must be API_KEY.
export const handler = async (event) => ({
  isAuthorized: event.headers?.['x-api-key'] === process.env.API_KEY,
  context: { client: 'importer' },
});
