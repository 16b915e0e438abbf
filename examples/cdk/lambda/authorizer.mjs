// A Lambda REQUEST authorizer with simple responses (HttpLambdaResponseType.SIMPLE).
export const handler = async (event) => ({
  isAuthorized: event.headers?.['x-api-key'] === process.env.API_KEY,
  context: { client: 'machine' },
});
