// $default, protected by the authorizer: anything without a route of its own lands here and
// answers with who the caller is.
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    path: event.rawPath,
    routeKey: event.routeKey,
    claims: event.requestContext.authorizer.jwt.claims,
  }),
});
