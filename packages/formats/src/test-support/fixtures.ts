// Documents of config-formats.md, shared by the tests of several readers.

/** config-formats.md §1.7. */
export const SECTION_1_7 = `openapi: "3.0.1"
x-amazon-apigateway-importexport-version: "1.0"
info: { title: items-api, version: "1.0" }
paths:
  /items:
    get:
      security: [ { jwtAuth: [ "items/read" ] } ]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:listItems/invocations
        payloadFormatVersion: "2.0"
        timeoutInMillis: 10000
  /items/{id}:
    get:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/getItem"
  /admin:
    post:
      security: [ { adminAuth: [] } ]
      x-amazon-apigateway-integration:
        type: AWS_PROXY
        httpMethod: POST
        uri: arn:aws:lambda:us-east-1:123456789012:function:admin   # plain ARN form
        payloadFormatVersion: "2.0"
  /legacy/{proxy+}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: ANY
        uri: "http://\${stageVariables.legacyHost}/{proxy}"
        payloadFormatVersion: "1.0"
        connectionType: INTERNET
        requestParameters:
          "append:header.x-request-id": "$context.requestId"
  /$default:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:lambda:us-east-1:123456789012:function:fallback
        payloadFormatVersion: "2.0"
components:
  securitySchemes:
    jwtAuth:
      type: oauth2
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: "$request.header.Authorization"
        jwtConfiguration:
          issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE
          audience: [ "my-client-id" ]
    adminAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        identitySource: "$request.header.Authorization"
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:adminAuthorizer/invocations
        authorizerPayloadFormatVersion: "2.0"
        enableSimpleResponses: true
        authorizerResultTtlInSeconds: 300
  x-amazon-apigateway-integrations:
    getItem:
      type: aws_proxy
      httpMethod: POST
      uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getItem/invocations
      payloadFormatVersion: "1.0"
x-amazon-apigateway-cors:
  allowOrigins: [ "https://app.example.com" ]
  allowMethods: [ "GET", "POST" ]
  allowHeaders: [ "authorization", "content-type" ]
  exposeHeaders: [ "x-request-id" ]
  maxAge: 300
  allowCredentials: true
`;
