export { parseRouteKey, ROUTE_METHODS } from './route-key.js';
export { compileRoutes } from './compile-routes.js';
export { stripStage } from './stage.js';
export { decodePercentTwice } from './percent-decode.js';
export { decodeRequestPath, invalidPathReason, pathBeforeDecodedQuery } from './request-path.js';
export type { RouteKey, Segment, ParseResult } from './route-key.js';
export type { Matcher, RouteMatch } from './match.js';
