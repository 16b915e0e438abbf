export { startGateway } from './start-gateway.js';
export { createGateway } from './create-gateway.js';
export { defineConfig } from '@localgw/core';
export { LocalgwError, isLocalgwError } from './errors.js';
export { createConsoleLogger, silentLogger } from './log.js';

export type { StartGatewayOptions, RunningGateway } from './start-gateway.js';
export type { Gateway, GatewayApi, GatewayOptions, TokenOptions, ReloadResult } from './create-gateway.js';
export type { LocalgwErrorCode } from './errors.js';
export type { Logger, RequestLogEntry, HandlerLogEntry, ConsoleLoggerOptions } from './log.js';
export type { LocalgwConfig, RouteConfig, LambdaRouteConfig, HttpRouteConfig, HandlerFunction, ConfigIssue } from '@localgw/core';
export type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
