// Lambda's runtime identifiers (`Runtime` of CreateFunction, the runtime table of the Lambda
// developer guide, deprecated ones included: templates still name them) and how localgw runs
// each family. Pure: which interpreter or executable runs is the runtime package's business.
import { didYouMean } from './did-you-mean.js';

/** How localgw runs a function of a runtime. */
export type RuntimeFamily =
  /** Worker threads of this Node.js, whatever version the identifier names (the default). */
  | 'nodejs'
  /** The local Python 3 as a child process, through localgw's runtime interface client. */
  | 'python'
  /** An executable `bootstrap` (custom runtimes; `go1.x` runs the executable named by the handler). */
  | 'provided';

/** Every identifier Lambda knows, newest first within a language. */
export const LAMBDA_RUNTIMES = [
  'nodejs24.x', 'nodejs22.x', 'nodejs20.x', 'nodejs18.x', 'nodejs16.x', 'nodejs14.x', 'nodejs12.x', 'nodejs10.x', 'nodejs8.10', 'nodejs6.10', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs',
  'python3.14', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python2.7',
  'provided.al2023', 'provided.al2', 'provided', 'go1.x',
  'java25', 'java21', 'java17', 'java11', 'java8.al2', 'java8',
  'dotnet10', 'dotnet9', 'dotnet8', 'dotnet7', 'dotnet6', 'dotnetcore3.1', 'dotnetcore2.1', 'dotnetcore2.0', 'dotnetcore1.0',
  'ruby3.4', 'ruby3.3', 'ruby3.2', 'ruby2.7', 'ruby2.5',
] as const;

const KNOWN = new Set<string>(LAMBDA_RUNTIMES);

/** The family localgw runs `runtime` with; undefined for a Lambda runtime it cannot run (Java, .NET, Ruby, Python 2). */
export function runtimeFamily(runtime: string): RuntimeFamily | undefined {
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('python3')) return 'python';
  if (runtime.startsWith('provided') || runtime === 'go1.x') return 'provided';
  return undefined;
}

export type RuntimeCheck = { ok: true; family: RuntimeFamily } | { ok: false; message: string; hint: string };

/** Whether `runtime` is a Lambda runtime identifier that localgw runs, and if not, what to write instead. */
export function checkRuntime(runtime: string): RuntimeCheck {
  if (!KNOWN.has(runtime)) {
    const suggestion = didYouMean(runtime, LAMBDA_RUNTIMES);
    return {
      ok: false,
      message: `"${runtime}" is not a Lambda runtime identifier`,
      hint: suggestion ? `did you mean "${suggestion}"?` : 'e.g. "nodejs22.x", "python3.13" or "provided.al2023"',
    };
  }
  const family = runtimeFamily(runtime);
  if (family === undefined) {
    return {
      ok: false,
      message: `localgw cannot run ${runtime} functions`,
      hint: 'it runs Node.js ("nodejs…"), Python 3 ("python3.…") and custom runtimes ("provided.al2023" with an executable bootstrap, the way Go, Rust and others deploy)',
    };
  }
  return { ok: true, family };
}
