export { parseRouteKey, ROUTE_METHODS } from './route-key.js';
export { compileRoutes } from './compile-routes.js';
export { stripStage, decodePath } from './stage.js';
export type { RouteKey, Segment, ParseResult } from './route-key.js';
export type { Matcher, RouteMatch } from './match.js';
