import { isIntrinsic } from '../cloudformation/fields.js';
import type { RawResource, Stack } from '../cloudformation/stack.js';
import { childPointer } from '../source/pointer.js';

/** The properties `Globals` may set, per the current SAM translator (config-formats.md §2.7). */
const SUPPORTED: Record<string, { type: string; keys: readonly string[] }> = {
  Function: {
    type: 'AWS::Serverless::Function',
    keys: [
      'Handler', 'Runtime', 'CodeUri', 'DeadLetterQueue', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Environment', 'Tags', 'PropagateTags',
      'Tracing', 'KmsKeyArn', 'Layers', 'AutoPublishAlias', 'AutoPublishAliasAllProperties', 'DeploymentPreference', 'PermissionsBoundary',
      'ReservedConcurrentExecutions', 'ProvisionedConcurrencyConfig', 'AssumeRolePolicyDocument', 'EventInvokeConfig', 'Architectures',
      'EphemeralStorage', 'SnapStart', 'FunctionUrlConfig', 'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop', 'SourceKMSKeyArn',
      'CapacityProviderConfig', 'FunctionScalingConfig', 'VersionDeletionPolicy',
    ],
  },
  HttpApi: {
    type: 'AWS::Serverless::HttpApi',
    keys: ['Auth', 'AccessLogSettings', 'StageVariables', 'Tags', 'PropagateTags', 'CorsConfiguration', 'DefaultRouteSettings', 'Domain', 'RouteSettings', 'FailOnWarnings'],
  },
};

/**
 * The SAM `Globals` section merged into each resource of its type (config-formats.md §2.7):
 * primitives are replaced by the resource's own value, maps are merged with the resource
 * winning, lists are concatenated with the Globals entries first. Merged-in values keep
 * pointing at where they are written in Globals.
 */
export function applyGlobals(stack: Stack): void {
  const globals = stack.template.Globals;
  if (globals === null || typeof globals !== 'object') return;
  for (const [section, values] of Object.entries(globals as Record<string, unknown>)) {
    const spec = SUPPORTED[section];
    const at = childPointer('/Globals', section);
    if (!spec) {
      if (!['Api', 'SimpleTable', 'StateMachine', 'LayerVersion', 'CapacityProvider'].includes(section)) {
        stack.issue('warning', at, `Globals.${section} is not a section SAM knows`);
      }
      continue;
    }
    if (values === null || typeof values !== 'object') continue;
    for (const key of Object.keys(values)) {
      if (!spec.keys.includes(key)) stack.issue('warning', childPointer(at, key), `${key} is not a property SAM takes from Globals.${section}, so it is not applied`);
    }
    for (const [logicalId, resource] of Object.entries(stack.resources)) {
      if (resource?.Type !== spec.type) continue;
      const properties = { ...(resource.Properties ?? {}) };
      const base = childPointer(childPointer('/Resources', logicalId), 'Properties');
      for (const key of spec.keys) {
        if (!Object.hasOwn(values, key)) continue;
        const globalValue = (values as Record<string, unknown>)[key];
        properties[key] = merge(globalValue, properties[key], childPointer(base, key), childPointer(at, key), stack.origins);
      }
      stack.resources[logicalId] = { ...resource, Properties: properties } satisfies RawResource;
    }
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isIntrinsic(value);
}

function merge(global: unknown, local: unknown, localPointer: string, globalPointer: string, origins: Map<string, string>): unknown {
  if (local === undefined) {
    origins.set(localPointer, globalPointer);
    return global;
  }
  if (isMap(global) && isMap(local)) {
    const out: Record<string, unknown> = { ...local };
    for (const [key, value] of Object.entries(global)) {
      out[key] = merge(value, local[key], childPointer(localPointer, key), childPointer(globalPointer, key), origins);
    }
    return out;
  }
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  return local;
}
