import { CfnOutput, Duration, NestedStack, Stack, type NestedStackProps, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** The token issuer the API trusts (a Cognito user pool's, say); `localgw token` mints tokens for it offline. */
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE';

export class ItemsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const code = Code.fromAsset('lambda');
    const fn = (name: string, handler: string, extra: { timeout?: Duration; environment?: Record<string, string>; functionName?: string } = {}) =>
      new LambdaFunction(this, name, { runtime: Runtime.NODEJS_22_X, code, handler, timeout: extra.timeout ?? Duration.seconds(10), environment: { TABLE_NAME: 'items', ...extra.environment }, functionName: extra.functionName });

    const health = fn('Health', 'health.handler');
    const listItems = fn('ListItems', 'items.list', { functionName: 'items-list' });
    const getItem = fn('GetItem', 'items.get', { timeout: Duration.seconds(3) });
    const createItem = fn('CreateItem', 'items.create');
    const apiKeyAuthorizer = fn('ApiKeyAuthorizer', 'authorizer.handler', { environment: { API_KEY: 'local-key' } });

    const api = new HttpApi(this, 'ItemsApi', {
      corsPreflight: {
        allowOrigins: ['http://localhost:5173'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type', 'x-api-key'],
        maxAge: Duration.minutes(10),
      },
    });
    const jwt = new HttpJwtAuthorizer('Jwt', ISSUER, { jwtAudience: ['items-web'] });
    const apiKey = new HttpLambdaAuthorizer('ApiKey', apiKeyAuthorizer, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.x-api-key'],
    });

    api.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('HealthIntegration', health) });
    api.addRoutes({ path: '/items', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('ListIntegration', listItems), authorizer: jwt, authorizationScopes: ['items/read'] });
    api.addRoutes({ path: '/items/{id}', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('GetIntegration', getItem), authorizer: jwt });
    api.addRoutes({ path: '/items', methods: [HttpMethod.POST], integration: new HttpLambdaIntegration('CreateIntegration', createItem), authorizer: apiKey });

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });

    // A second API, in a nested stack: served separately (by Host), never merged with the first.
    new AdminStack(this, 'Admin');
  }
}

class AdminStack extends NestedStack {
  constructor(scope: Construct, id: string, props?: NestedStackProps) {
    super(scope, id, props);
    const stats = new LambdaFunction(this, 'Stats', { runtime: Runtime.NODEJS_22_X, code: Code.fromAsset('lambda'), handler: 'health.handler' });
    const api = new HttpApi(this, 'AdminApi');
    api.addRoutes({ path: '/stats', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('StatsIntegration', stats) });
  }
}
