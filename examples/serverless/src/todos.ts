// TypeScript handlers run as they are (serverless-esbuild's job on deploy).
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

const json = (statusCode: number, body: unknown): APIGatewayProxyResultV2 => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const list = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  json(200, { table: process.env.TABLE_NAME, user: event.requestContext.authorizer.jwt.claims.sub, todos: [{ id: '1', title: 'Try localgw' }] });

export const create = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const todo = JSON.parse(event.body ?? '{}') as { title?: string };
  if (!todo.title) return json(400, { message: 'title is required' });
  return json(201, { id: '2', title: todo.title, owner: event.requestContext.authorizer.jwt.claims.sub });
};

export const importAll = async (event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: { lambda?: Record<string, unknown> } } }) =>
  json(202, { imported: 0, by: event.requestContext.authorizer?.lambda?.client });
