import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'localgw';

export const health = async (): Promise<APIGatewayProxyResultV2> => ({ statusCode: 200, body: 'ok' });

export const me = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> => {
  const claims = event.requestContext.authorizer.jwt.claims;
  return { sub: claims.sub, groups: claims['cognito:groups'] ?? null };
};

export const createOrder = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> => {
  const order = JSON.parse(event.body ?? '{}') as { item?: string };
  if (!order.item) return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'item is required' }) };
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item: order.item, by: event.requestContext.authorizer.jwt.claims.sub }),
  };
};
