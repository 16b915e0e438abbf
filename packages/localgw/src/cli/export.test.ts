import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalgwConfig } from '@localgw/core';
import { loadProject } from '../config/load-project.js';
import { resolved, routeTableOf, schemaErrors, throughCloudFormation, throughOpenApi, undocumentedExtensions } from '../../../formats/src/test-support/round-trip.js';

// Issue 16: for every fixture of the two import issues (SAM, CloudFormation, several APIs,
// serverless.yml, OpenAPI), what `localgw export` writes imports back to the same route
// table, CORS and authorizers. (examples/cdk needs a synth: its export is the CloudFormation
// the CDK already wrote, read by the same template reader as these.)
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = [
  'e2e/fixtures/formats/sam-example',
  'e2e/fixtures/formats/cfn-sample',
  'e2e/fixtures/formats/multi-api',
  'examples/sam',
  'examples/serverless',
  'e2e/fixtures/formats/openapi-example',
  'e2e/fixtures/formats/openapi-console',
];

describe('localgw export of every fixture, imported again', () => {
  // A copy: loading a template saves its inline code under .localgw/ in the project.
  const root = mkdtempSync(join(tmpdir(), 'localgw-export-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const fixture of FIXTURES) {
    it(`${fixture}: each API through OpenAPI (valid, documented extensions only) and CloudFormation`, async () => {
      const dir = join(root, fixture.replaceAll('/', '_'));
      cpSync(REPO + fixture, dir, { recursive: true, filter: (src) => !/node_modules|\.localgw/.test(src) });
      const project = await loadProject(dir, dir);
      for (const api of project.apis) {
        const input = api.input as LocalgwConfig;
        const expected = routeTableOf(resolved(input));
        const viaOpenApi = throughOpenApi(input);
        expect(routeTableOf(viaOpenApi.config)).toEqual(expected);
        expect(await schemaErrors(viaOpenApi.doc)).toEqual([]);
        expect([...undocumentedExtensions(viaOpenApi.doc)]).toEqual([]);
        expect(routeTableOf(throughCloudFormation(input).config)).toEqual(expected);
      }
    });
  }
});
