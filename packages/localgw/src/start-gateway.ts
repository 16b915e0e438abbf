import type { CompiledRoute, ConfigIssue } from '@localgw/core';
import { createGateway, type GatewayApi, type GatewayOptions, type ReloadResult, type TokenOptions } from './create-gateway.js';
import { startAdminServer, type AdminServer } from './admin/server.js';
import { DEFAULT_HOST, DEFAULT_PORT, listen } from './server.js';
import { watchGateway } from './watch.js';

export interface StartGatewayOptions extends GatewayOptions {
  /** Port to listen on; `0` picks a free one. Default 3000. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`: never exposed to the network unless asked. */
  host?: string;
  /** Reload when the config or a handler changes. Default false (true for `localgw start`). */
  watch?: boolean;
  /**
   * Also serve the admin server: the API Gateway v2 management API, for the AWS CLI and SDK.
   * `true`: on the API port + 1 (a free port when `port` is 0); `{ port }` to choose. Default false.
   */
  admin?: boolean | { port?: number };
}

export interface RunningGateway {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  readonly port: number;
  /** The admin server's URL (`aws --endpoint-url`), when `admin` is on. */
  readonly adminUrl: string | undefined;
  /** A JWT that the named authorizer accepts, signed by the local dev key. */
  token(options?: TokenOptions): Promise<string>;
  /** Re-reads config and handlers now (also what the watcher does on change). */
  reload(options?: { handlers?: boolean }): Promise<ReloadResult>;
  /** Routes of the main API in match order. */
  routes(): readonly CompiledRoute[];
  /** Every API (a template may declare several, each also served by Host `{apiId}.execute-api.localhost`). */
  apis(): readonly GatewayApi[];
  warnings(): readonly ConfigIssue[];
  /** Stops the server, the watcher and every worker. Idempotent; safe in `afterAll`. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts the emulator for a test suite or a script:
 * `const gw = await startGateway({ config: './localgw.config.json', port: 0 })`.
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const gateway = await createGateway({ ...options, trackModules: options.watch === true });
  let listening;
  try {
    listening = await listen(gateway, { port: options.port, host: options.host });
  } catch (error) {
    await gateway.close();
    throw error;
  }
  let admin: AdminServer | undefined;
  if (options.admin) {
    const asked = typeof options.admin === 'object' ? options.admin.port : undefined;
    try {
      admin = await startAdminServer(gateway, { port: asked ?? defaultAdminPort(options.port ?? DEFAULT_PORT), host: adminHost(options.host ?? DEFAULT_HOST), apiUrl: listening.url });
    } catch (error) {
      await listening.close();
      await gateway.close();
      throw error;
    }
  }
  const watcher = options.watch ? await watchGateway(gateway) : undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await watcher?.close();
      await admin?.close();
      await listening.close();
      await gateway.close();
    })();
    return closing;
  };
  return {
    url: listening.url,
    port: listening.port,
    adminUrl: admin?.url,
    token: gateway.token,
    reload: gateway.reload,
    routes: gateway.routes,
    apis: gateway.apis,
    warnings: gateway.warnings,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Loopback even when the API is exposed (`--host 0.0.0.0`): the management API can run any handler file. */
export function adminHost(apiHost: string): string {
  return apiHost === '::1' || apiHost === 'localhost' ? apiHost : DEFAULT_HOST;
}

/** The API port + 1 (DESIGN.md "CLI"); with any free port for the API, any free port for the admin server too. */
export function defaultAdminPort(port: number): number {
  return port === 0 || port >= 65535 ? 0 : port + 1;
}
