import { channel } from 'node:diagnostics_channel';

/**
 * Zero-cost instrumentation (`node:diagnostics_channel`): nothing is built unless someone
 * subscribes. The gateway's debug logging and this package's tests subscribe; nothing else should.
 */
export const JWT_DIAGNOSTICS_CHANNELS = {
  /** `{ authorizer, kid, alg }` each time a signature is verified (RSA work, not a cache hit). */
  verify: 'localgw:jwt:verify',
  /** `{ authorizer, url }` each time a JWKS or discovery document is requested over the network. */
  fetch: 'localgw:jwt:fetch',
} as const;

export const verifyChannel = channel(JWT_DIAGNOSTICS_CHANNELS.verify);
export const fetchChannel = channel(JWT_DIAGNOSTICS_CHANNELS.fetch);
