// A greedy route: {path+} captures the rest of the path, slashes included.
export const handler = async (event) => ({ path: event.pathParameters.path, routeKey: event.routeKey });
