/**
 * A CDK cloud assembly (`cdk.out/`, config-formats.md §4.4): `manifest.json` lists the stacks
 * (artifacts of type `aws:cloudformation:stack` with their `templateFile`), their asset
 * manifests, and nested assemblies (CDK `Stage`s, `cdk:cloud-assembly` artifacts in a folder).
 */
export interface AssemblyStack {
  /** The stack's name (`AWS::StackName`). */
  stackName: string;
  /** The template, relative to the assembly folder. */
  templateFile: string;
  /** `<Stack>.assets.json`, relative to the assembly folder; undefined when there is none. */
  assetsFile: string | undefined;
}

export type AssemblyManifest =
  | { ok: true; stacks: AssemblyStack[]; nestedAssemblies: string[] }
  | { ok: false; message: string };

export function readAssemblyManifest(text: string): AssemblyManifest {
  let manifest: { artifacts?: Record<string, { type?: string; displayName?: string; properties?: Record<string, unknown>; dependencies?: string[] }> };
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `manifest.json is not JSON: ${(error as Error).message}` };
  }
  const artifacts = manifest?.artifacts;
  if (!artifacts || typeof artifacts !== 'object') return { ok: false, message: 'manifest.json has no artifacts: not a CDK cloud assembly' };
  const stacks: AssemblyStack[] = [];
  const nestedAssemblies: string[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    const properties = artifact?.properties ?? {};
    if (artifact?.type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      const assets = (artifact.dependencies ?? [])
        .map((dep) => artifacts[dep])
        .find((dep) => dep?.type === 'cdk:asset-manifest' && typeof dep.properties?.file === 'string');
      stacks.push({
        stackName: typeof properties.stackName === 'string' ? properties.stackName : (artifact.displayName ?? id).split('/').at(-1)!,
        templateFile: properties.templateFile,
        assetsFile: assets ? String(assets.properties!.file) : undefined,
      });
    } else if (artifact?.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      nestedAssemblies.push(properties.directoryName);
    }
  }
  return { ok: true, stacks, nestedAssemblies };
}

/**
 * `<Stack>.assets.json`: asset hash → the staged path (relative to the assembly folder). Used
 * when a template carries no `aws:asset:path` metadata, as in CDK's own test snapshots (§4.4).
 */
export function readAssetsManifest(text: string): Record<string, string> {
  try {
    const manifest = JSON.parse(text) as { files?: Record<string, { source?: { path?: unknown } }> };
    const out: Record<string, string> = {};
    for (const [hash, file] of Object.entries(manifest.files ?? {})) {
      if (typeof file?.source?.path === 'string') out[hash] = file.source.path;
    }
    return out;
  } catch {
    return {};
  }
}
