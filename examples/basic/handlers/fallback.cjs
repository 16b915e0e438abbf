// $default catches every request no other route matches. CommonJS and callback style work too.
exports.handler = (event, context, callback) => {
  callback(null, {
    statusCode: 404,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: `nothing at ${event.requestContext.http.method} ${event.rawPath}`, requestId: context.awsRequestId }),
  });
};
