import { defineConfig } from 'localgw';

// A TypeScript config: `defineConfig` gives completion and type checks for every field.
export default defineConfig({
  authorizers: {
    main: {
      type: 'jwt',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
      audience: ['example-client-id'],
    },
  },
  routes: {
    'GET /health': 'handlers/api.health',
    'GET /me': { handler: 'handlers/api.me', authorizer: 'main' },
    'POST /orders': { handler: 'handlers/api.createOrder', authorizer: 'main', authorizationScopes: ['orders/write'] },
  },
});
