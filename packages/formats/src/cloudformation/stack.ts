import type { FormatIssue, SourceRef } from '../model/model.js';
import { childPointer, readablePointer } from '../source/pointer.js';
import type { SourceText } from '../source/parse-text.js';
import { resolveValue, Unresolved, type IntrinsicScope, type Placeholder } from './intrinsics.js';

/** SAM CLI's fixed pseudo parameters (config-formats.md §2.8), all overridable. */
export const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'us-east-1',
  'AWS::Partition': 'aws',
  'AWS::StackName': 'local',
  'AWS::URLSuffix': 'amazonaws.com',
};

export interface RawResource {
  Type?: unknown;
  Properties?: Record<string, unknown>;
  Condition?: unknown;
  Metadata?: Record<string, unknown>;
}

/** What a stack asks of the project around it (the other stacks, the ids of resources). */
export interface StackLinks {
  /** A resource's `Ref` value. */
  ref(stack: Stack, logicalId: string, type: string): { value: string; placeholder?: string };
  /** `Fn::GetAtt` of a resource in `stack`. */
  getAtt(stack: Stack, logicalId: string, type: string, attribute: string, pointer: string): { value: unknown; placeholder?: string } | Unresolved;
  /** The value of an export (`Outputs.X.Export.Name`) of a stack in the project; undefined: none. */
  importValue(name: string, pointer: string): unknown;
}

export interface ResolvedField {
  value: unknown;
  placeholders: Placeholder[];
}

/**
 * One template (the root one, or a nested stack) with its parameters given, its conditions
 * evaluated on demand, and the resolver scope its fields are resolved in.
 */
export class Stack {
  readonly template: Record<string, unknown>;
  readonly resources: Record<string, RawResource>;
  readonly scope: IntrinsicScope;
  /** Synthetic pointers (a resource made by the SAM transform, a merged Global) → where it is written. */
  readonly origins = new Map<string, string>();
  readonly #parameters = new Map<string, unknown>();
  readonly #conditions = new Map<string, boolean | Unresolved>();
  readonly #evaluating = new Set<string>();
  readonly #active = new Map<string, boolean>();

  constructor(
    readonly source: SourceText,
    /** Unique among the project's stacks: '' for the root, `Child.` for a nested stack. */
    readonly prefix: string,
    /** The nested stack's resource in its parent; undefined for the root. */
    readonly parentResource: { stack: Stack; logicalId: string } | undefined,
    parameterValues: Readonly<Record<string, unknown>>,
    links: StackLinks,
    readonly issues: FormatIssue[],
  ) {
    const value = source.value;
    this.template = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    const resources = this.template.Resources;
    this.resources = resources !== null && typeof resources === 'object' ? { ...(resources as Record<string, RawResource>) } : {};
    this.#readParameters(parameterValues);
    this.scope = {
      region: String(this.#parameters.get('AWS::Region')),
      parameter: (name) => this.#parameters.get(name),
      ref: (logicalId) => {
        const resource = this.activeResource(logicalId);
        return resource ? links.ref(this, logicalId, String(resource.Type)) : undefined;
      },
      getAtt: (logicalId, attribute, pointer) => {
        const resource = this.activeResource(logicalId);
        return resource ? links.getAtt(this, logicalId, String(resource.Type), attribute, pointer) : undefined;
      },
      condition: (name, pointer) => this.condition(name, pointer),
      importValue: (name, pointer) => links.importValue(name, pointer),
      mapping: (name) => {
        const mappings = this.template.Mappings as Record<string, Record<string, unknown>> | undefined;
        return mappings && Object.hasOwn(mappings, name) ? mappings[name] : undefined;
      },
    };
  }

  get file(): string {
    return this.source.file;
  }

  /** Where `pointer` of this template is written (following merged Globals and generated resources). */
  sourceOf(pointer: string): SourceRef {
    let at = pointer;
    for (let cut = pointer.length; cut > 0; cut = pointer.lastIndexOf('/', cut - 1)) {
      const origin = this.origins.get(pointer.slice(0, cut));
      if (origin !== undefined) {
        at = origin + pointer.slice(cut);
        break;
      }
    }
    return { file: this.file, pointer: at, line: this.source.lineOf(at) };
  }

  issue(severity: FormatIssue['severity'], pointer: string | undefined, message: string, hint?: string): void {
    this.issues.push({ severity, message, hint, source: pointer === undefined ? undefined : this.sourceOf(pointer) });
  }

  /** Resolves the intrinsic functions of one field. */
  resolve(raw: unknown, pointer: string): ResolvedField {
    const notes = { placeholders: [] as Placeholder[] };
    return { value: resolveValue(this.scope, raw, pointer, notes), placeholders: notes.placeholders };
  }

  /** A resource that exists once deployed: defined, and its `Condition` (if any) true. */
  activeResource(logicalId: string): RawResource | undefined {
    if (!Object.hasOwn(this.resources, logicalId)) return undefined;
    const resource = this.resources[logicalId]!;
    let active = this.#active.get(logicalId);
    if (active === undefined) {
      active = true;
      if (typeof resource.Condition === 'string') {
        const pointer = childPointer(childPointer('/Resources', logicalId), 'Condition');
        const value = this.condition(resource.Condition, pointer);
        if (value instanceof Unresolved) {
          this.issue('warning', pointer, `condition ${resource.Condition} cannot be evaluated locally (${value.reason}); the resource is read as if it were true`);
        } else active = value;
      }
      this.#active.set(logicalId, active);
    }
    return active ? resource : undefined;
  }

  /** Active resources of one of `types`, in the order they are written. */
  resourcesOf(...types: string[]): Array<[string, RawResource]> {
    return Object.keys(this.resources)
      .filter((id) => types.includes(String(this.resources[id]?.Type)))
      .flatMap((id) => {
        const resource = this.activeResource(id);
        return resource ? [[id, resource] as [string, RawResource]] : [];
      });
  }

  condition(name: string, pointer: string): boolean | Unresolved {
    const known = this.#conditions.get(name);
    if (known !== undefined) return known;
    const conditions = (this.template.Conditions ?? {}) as Record<string, unknown>;
    if (!Object.hasOwn(conditions, name)) return new Unresolved(`no condition named ${name} in Conditions`, pointer);
    if (this.#evaluating.has(name)) return new Unresolved(`condition ${name} refers to itself`, pointer);
    this.#evaluating.add(name);
    const at = childPointer('/Conditions', name);
    const { value } = this.resolve(conditions[name], at);
    this.#evaluating.delete(name);
    const result = value instanceof Unresolved ? value : typeof value === 'boolean' ? value : new Unresolved(`condition ${name} is not a condition function`, at);
    this.#conditions.set(name, result);
    return result;
  }

  /** The resolved export names of this stack's outputs → their output names. */
  exports(): Map<string, string> {
    const out = new Map<string, string>();
    const outputs = (this.template.Outputs ?? {}) as Record<string, { Export?: { Name?: unknown } }>;
    for (const [name, output] of Object.entries(outputs)) {
      if (output?.Export?.Name === undefined) continue;
      const { value } = this.resolve(output.Export.Name, childPointer(childPointer(childPointer('/Outputs', name), 'Export'), 'Name'));
      if (typeof value === 'string') out.set(value, name);
    }
    return out;
  }

  /** `Outputs.NAME.Value`, resolved, for `Fn::GetAtt Child.Outputs.NAME` in the parent. */
  output(name: string, pointer: string): unknown {
    const outputs = (this.template.Outputs ?? {}) as Record<string, { Value?: unknown }>;
    if (!Object.hasOwn(outputs, name)) return new Unresolved(`the nested stack ${this.file} has no output ${name}`, pointer);
    return this.resolve(outputs[name]!.Value, childPointer(childPointer('/Outputs', name), 'Value')).value;
  }

  #readParameters(values: Readonly<Record<string, unknown>>): void {
    for (const [name, value] of Object.entries(PSEUDO_PARAMETERS)) this.#parameters.set(name, values[name] ?? value);
    const stackName = String(this.#parameters.get('AWS::StackName'));
    this.#parameters.set('AWS::StackId', values['AWS::StackId'] ?? `arn:aws:cloudformation:${this.#parameters.get('AWS::Region')}:${this.#parameters.get('AWS::AccountId')}:stack/${stackName}/00000000-0000-0000-0000-000000000000`);
    this.#parameters.set('AWS::NotificationARNs', values['AWS::NotificationARNs'] ?? []);
    const declared = (this.template.Parameters ?? {}) as Record<string, { Type?: unknown; Default?: unknown; AllowedValues?: unknown }>;
    for (const [name, declaration] of Object.entries(declared)) {
      const pointer = childPointer('/Parameters', name);
      const type = String(declaration?.Type ?? 'String');
      const given = Object.hasOwn(values, name) ? values[name] : undefined;
      let value = given ?? declaration?.Default;
      if (given === undefined && type.startsWith('AWS::SSM::Parameter::Value')) {
        this.#parameters.set(name, new Unresolved(`parameter ${name} is read from the SSM parameter ${JSON.stringify(declaration?.Default)} at deploy time; give it a value with --parameter-overrides ${name}=VALUE`, pointer));
        continue;
      }
      if (value === undefined) {
        this.issue('warning', pointer, `parameter ${name} has no Default and no value was given, so it is empty`, `pass one with --parameter-overrides ${name}=VALUE`);
        value = '';
      }
      if (value instanceof Unresolved) {
        this.#parameters.set(name, value);
        continue;
      }
      if (type === 'CommaDelimitedList' || type.startsWith('List<')) value = Array.isArray(value) ? value.map(String) : String(value).split(',');
      else if (typeof value !== 'string') value = Array.isArray(value) ? value.map(String).join(',') : String(value);
      if (Array.isArray(declaration?.AllowedValues) && !Array.isArray(value) && !declaration.AllowedValues.map(String).includes(value as string)) {
        this.issue('warning', pointer, `parameter ${name} is "${String(value)}", which is not one of its AllowedValues (${declaration.AllowedValues.join(', ')}); CloudFormation would refuse it`);
      }
      this.#parameters.set(name, value);
    }
  }
}

/** `Resources.Api.Properties.Auth` for messages about a pointer without a line. */
export function describePointer(pointer: string): string {
  return readablePointer(pointer);
}
