// "OPTIONS /{proxy+}" without an authorizer. Browser preflights carry no token, so without this
// route they would match the protected $default and get 401 (aws-behavior.md §1.7). This route
// outranks $default; the gateway adds the configured CORS headers to what it returns.
export const handler = async () => ({ statusCode: 204 });
