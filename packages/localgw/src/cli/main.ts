import { cac } from 'cac';
import { createRequire } from 'node:module';
import { keepValuesAsTyped } from './typed-values.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const cli = cac('localgw');

const CONFIG_HELP = 'Config: a localgw.config.*, a SAM/CloudFormation template, a CDK cdk.out/, a serverless.yml or an OpenAPI file (default: the first of localgw.config.*, template.{yaml,yml}, cdk.out/, serverless.{yml,yaml,ts,json}, openapi.{yaml,yml,json} in the cwd)';
const API_HELP = 'Template API served at the main URL, by logical id (default: the first declared)';
const PARAMETERS_HELP = 'Template parameters, as in sam: "Key=Value Key2=Value2" (repeatable)';

cli
  .command('start', 'Serve the API on localhost, reloading on change')
  .option('--config <file>', CONFIG_HELP)
  .option('--port <n>', 'Port; 0 picks a free one', { default: 3000 })
  .option('--host <host>', 'Interface to bind', { default: '127.0.0.1' })
  .option('--stage <name>', 'Serve under a named stage (/NAME/...) instead of the config\'s; for serverless.yml, the Framework stage (${opt:stage}, no path prefix)')
  .option('--no-watch', 'Do not reload when files change')
  .option('--dotenv <file>', 'dotenv file for the handlers\' environment (a .env next to the config is read automatically)')
  // The first name of --dotenv. Node 20 reads --env-file itself, even after the script name, and
  // exits before localgw runs when the file is missing; with an existing file it passes through.
  .option('--env-file <file>', 'Old name of --dotenv (Node 20 itself stops on a missing file)')
  .option('--no-dev-tokens', 'Do not trust the local dev signing key in JWT authorizers')
  .option('--api <logicalId>', API_HELP)
  .option('--parameter-overrides <pairs>', PARAMETERS_HELP, { type: [String] })
  .option('--env-vars <file>', 'SAM CLI env-vars JSON for the functions: {"Parameters": {...}, "FunctionLogicalId": {...}}')
  .option('--synth', 'Run npx cdk synth (with --no-staging) for a CDK app before starting')
  .option('--admin-port <n>', 'Port of the admin server (the API Gateway v2 management API, for aws --endpoint-url); default: --port + 1, a free one with --port 0')
  .option('--no-admin', 'Do not start the admin server')
  .option('--state <file>', 'Keep what the management API creates in this file across restarts (default: in memory)')
  .example('localgw start --port 0 --config api/localgw.config.yaml')
  .example('localgw start --parameter-overrides "Stage=dev TableName=items"')
  .example('aws --endpoint-url http://127.0.0.1:3001 apigatewayv2 get-apis')
  .action(async (options) => {
    // First, before Node compiles the rest of the CLI: the first request's handler worker boots
    // meanwhile (@localgw/runtime's early-spare.ts). It tracks modules when start watches them.
    (await import('@localgw/runtime')).bootSpareWorker({ trackModules: options.watch !== false });
    return (await import('./start.js')).runStart(options);
  })

cli
  .command('routes', 'Print the route table in the order routes are matched (per API, with where each route is written)')
  .option('--config <file>', CONFIG_HELP)
  .option('--api <logicalId>', API_HELP)
  .option('--stage <name>', 'Stage, when a template API has several')
  .option('--parameter-overrides <pairs>', PARAMETERS_HELP, { type: [String] })
  .action(async (options) => (await import('./routes.js')).runRoutes(options));

cli
  .command('token', 'Print a JWT that a JWT authorizer accepts (signed by the local dev key)')
  .option('--config <file>', CONFIG_HELP)
  .option('--authorizer <name>', 'Authorizer name, as written in the config or template (default: the only one)')
  .option('--api <logicalId>', 'Template API the authorizer belongs to (default: the main one)')
  .option('--parameter-overrides <pairs>', PARAMETERS_HELP, { type: [String] })
  .option('--sub <sub>', 'Subject claim', { default: 'dev-user' })
  .option('--scope <scopes>', 'Space-separated scopes, e.g. "items/read items/write"')
  .option('--claim <k=v>', 'Extra claim (repeatable); JSON values are parsed: --claim admin=true', { type: [String] })
  .option('--expires-in <duration>', 'Lifetime: seconds, or a number with s, m, h or d (15m, 1.5h, 7d)', { default: '1h' })
  .option('--preset <preset>', 'Token shape: default, cognito-access, cognito-id, auth0', { default: 'default' })
  .option('--from <adminUrl>', 'A running gateway\'s admin server (http://127.0.0.1:3001): the authorizer is one the management API made (--api: its API id)')
  .action(async (options) => (await import('./token.js')).runToken(options));

cli
  .command('check', 'Validate the config as API Gateway would, and warn about known traps')
  .option('--config <file>', CONFIG_HELP)
  .option('--parameter-overrides <pairs>', PARAMETERS_HELP, { type: [String] })
  .action(async (options) => (await import('./check.js')).runCheck(options));

cli
  .command('export', 'Write the API localgw serves (from any config) in a form AWS imports, or as a localgw config')
  .option('--config <file>', CONFIG_HELP)
  .option('--format <format>', 'openapi (for aws apigatewayv2 import-api), cloudformation (AWS::ApiGatewayV2::* resources) or localgw', { default: 'openapi' })
  .option('--out <file>', 'Write to a file (YAML when it ends in .yaml or .yml) instead of standard output')
  .option('--api <logicalId>', API_HELP)
  .option('--stage <name>', 'Stage, when a template API has several (for serverless.yml: the Framework stage)')
  .option('--parameter-overrides <pairs>', PARAMETERS_HELP, { type: [String] })
  .option('--from <adminUrl>', 'Export what a running gateway serves, management API changes included (its admin URL, e.g. http://127.0.0.1:3001; --api: an API id)')
  .option('--state <file>', 'Export an API of a management state file (localgw start --state FILE), with the config beside it')
  .example('localgw export --out openapi.yaml')
  .example('localgw export --format cloudformation --out api.template.json')
  .example('localgw export --from http://127.0.0.1:3001 --api a1b2c3d4e5 --format localgw')
  .action(async (options) => (await import('./export.js')).runExport(options));

// cac gives every --no-x flag the default true, and --help prints "(default: true)" beside it,
// as if the flag were on. Without that default an absent flag is undefined: read `x !== false`.
for (const command of cli.commands) {
  for (const option of command.options) if (option.negated) delete option.config.default;
}

cli.help();
cli.version(version);

try {
  cli.parse(process.argv, { run: false });
  keepValuesAsTyped(cli);
  if (!cli.matchedCommand) {
    if (cli.args.length > 0) {
      console.error(`localgw: unknown command "${cli.args[0]}". Run "localgw --help" for the commands.`);
      process.exitCode = 1;
    } else if (!cli.options.help && !cli.options.version) {
      cli.outputHelp();
    }
  } else {
    await cli.runMatchedCommand();
  }
} catch (error) {
  // Loaded only now: it brings the config schema and jose, which every start would otherwise
  // compile before its first line ran (a fifth of a cold start).
  process.exitCode = (await import('./report-error.js')).reportError(error);
}
