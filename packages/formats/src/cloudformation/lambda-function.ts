import { traced, type FunctionCode, type LambdaFunction } from '../model/model.js';
import { childPointer } from '../source/pointer.js';
import { Fields } from './fields.js';
import type { RawResource, Stack } from './stack.js';

/** What reading a function needs from the project around it. */
export interface FunctionContext {
  /** The function's name (its FunctionName, else its logical id; unique in the project). */
  functionName(stack: Stack, logicalId: string): string;
  /** `relative`, written in `fromFile`, as a project path. */
  resolvePath(fromFile: string, relative: string): string;
  /** CDK: an asset's hash (its S3 key without extension) → its staged path, from `<Stack>.assets.json`. */
  assetPath(stack: Stack, hash: string): string | undefined;
  /** The folder `sam build` writes functions of this (root SAM) template to; undefined otherwise. */
  samBuildDir(stack: Stack): string | undefined;
}

const ARCHIVE = /\.(zip|jar|tar\.gz|tgz)$/i;

/** `AWS::Lambda::Function` (§4.1, §4.4): its code from CDK asset metadata or the assets manifest. */
export function readLambdaFunction(stack: Stack, logicalId: string, resource: RawResource, context: FunctionContext): LambdaFunction {
  const pointer = childPointer('/Resources', logicalId);
  const fn = base(stack, logicalId, context);
  const fields = new Fields(stack, childPointer(pointer, 'Properties'), resource.Properties, fn);
  fn.code = readCommon(fields, fn) ?? cdkAssetCode(stack, resource, context) ?? cfnCode(fields, stack, context);
  return fn;
}

/** `AWS::Serverless::Function` (§2.7), Globals already merged in. */
export function readServerlessFunction(stack: Stack, logicalId: string, resource: RawResource, context: FunctionContext): LambdaFunction {
  const pointer = childPointer('/Resources', logicalId);
  const fn = base(stack, logicalId, context);
  const fields = new Fields(stack, childPointer(pointer, 'Properties'), resource.Properties, fn);
  const image = readCommon(fields, fn);
  const buildDir = context.samBuildDir(stack);
  if (buildDir !== undefined) fn.buildDir = context.resolvePath(stack.file, `${buildDir}/${logicalId}`);
  fn.code = image ?? cdkAssetCode(stack, resource, context) ?? samCode(fields, stack, context);
  return fn;
}

function base(stack: Stack, logicalId: string, context: FunctionContext): LambdaFunction {
  return {
    ...traced(stack.sourceOf(childPointer('/Resources', logicalId))),
    functionName: context.functionName(stack, logicalId),
    logicalId,
    code: { kind: 'unavailable', reason: 'no code', hint: '' },
  };
}

/** Reads what both function types share; returns the code verdict for a container image. */
function readCommon(fields: Fields, fn: LambdaFunction): FunctionCode | undefined {
  fn.handler = fields.string('Handler', 'handler');
  const runtime = fields.string('Runtime', 'runtime');
  // CDK's own helper functions take their runtime from a mapping; an unresolved one is Node.
  if (runtime !== undefined) fn.runtime = runtime;
  fn.timeout = fields.number('Timeout', 'timeout');
  const environment = fields.block('Environment', 'environment');
  const variables = environment?.stringMapLenient('Variables', 'variables');
  if (variables) fn.environment = variables;
  if (fields.string('PackageType', 'packageType') === 'Image') {
    return { kind: 'unavailable', reason: 'it is a container image (PackageType: Image)', hint: 'map it to a local handler with "functions" in a localgw.config file beside the template' };
  }
  return undefined;
}

/** CDK stages each function's code under cdk.out and says where in the resource's metadata (§4.4). */
function cdkAssetCode(stack: Stack, resource: RawResource, context: FunctionContext): FunctionCode | undefined {
  const metadata = resource.Metadata;
  const path = metadata?.['aws:asset:path'];
  if (typeof path !== 'string' || (metadata?.['aws:asset:property'] ?? 'Code') !== 'Code') return undefined;
  return assetDir(context.resolvePath(stack.file, path));
}

function assetDir(dir: string): FunctionCode {
  if (ARCHIVE.test(dir)) {
    return { kind: 'unavailable', reason: `its code is an archive (${dir})`, hint: 'unzip it into a folder, or map the function to a local handler with "functions" in a localgw.config file' };
  }
  return { kind: 'dir', dir };
}

function cfnCode(fields: Fields, stack: Stack, context: FunctionContext): FunctionCode {
  const code = fields.block('Code', 'code');
  if (code === undefined) return { kind: 'unavailable', reason: 'it has no Code', hint: 'give it Code, or map it with "functions" in a localgw.config file' };
  if (code.has('ZipFile')) return inlineCode(code, 'ZipFile');
  if (code.has('ImageUri')) return { kind: 'unavailable', reason: 'it is a container image (Code.ImageUri)', hint: 'map it to a local handler with "functions" in a localgw.config file beside the template' };
  const key = code.string('S3Key', 'S3Key');
  const hash = key?.replace(/\.[a-z.]+$/i, '');
  const staged = hash === undefined ? undefined : context.assetPath(stack, hash);
  if (staged !== undefined) return assetDir(context.resolvePath(stack.file, staged));
  return {
    kind: 'unavailable',
    reason: `its code is in S3${key ? ` (${key})` : ''}`,
    hint: 'synthesize with the CDK Toolkit (cdk synth) so the template points at the staged code, or map the function with "functions" in a localgw.config file',
  };
}

function inlineCode(fields: Fields, key: string): FunctionCode {
  const code = fields.string(key, 'code');
  return code === undefined ? { kind: 'unavailable', reason: `its ${key} cannot be resolved`, hint: 'write the code as a string' } : { kind: 'inline', code };
}

function samCode(fields: Fields, stack: Stack, context: FunctionContext): FunctionCode {
  if (fields.has('InlineCode')) return inlineCode(fields, 'InlineCode');
  if (fields.has('ImageUri')) return { kind: 'unavailable', reason: 'it is a container image (ImageUri)', hint: 'map it to a local handler with "functions" in a localgw.config file beside the template' };
  if (!fields.has('CodeUri')) return { kind: 'dir', dir: context.resolvePath(stack.file, '.') };
  const uri = fields.value('CodeUri', 'codeUri');
  if (typeof uri === 'string' && !/^s3:\/\//i.test(uri)) return { kind: 'dir', dir: context.resolvePath(stack.file, uri) };
  return {
    kind: 'unavailable',
    reason: `its CodeUri is in S3${typeof uri === 'string' ? ` (${uri})` : ''}`,
    hint: 'point CodeUri at the local folder of the code, or map the function with "functions" in a localgw.config file',
  };
}
