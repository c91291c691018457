import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { apiOperations } from '../../../../services/openapi/apiOperations.js';
import {
  buildOpenApiDocument,
  openApiPath,
} from '../../../../services/openapi/buildOpenApiDocument.js';
import { blueprints } from '../../../../services/provisioning/blueprints/index.js';
import { describeBlueprints } from '../../../../services/provisioning/describeBlueprints.js';
import type { RegisteredHttpRoute } from '../../../../shared/functions/httpFunction.js';

const options = {
  version: '1.2.3',
  authority: 'https://login.microsoftonline.com/tenant',
  scope: 'api://api/access_as_user',
  audience: 'api://api',
  blueprints: describeBlueprints(blueprints),
};
const routes: RegisteredHttpRoute[] = [
  {
    name: 'createSandbox',
    route: 'api/sandboxes',
    methods: ['POST'],
    roles: ['Sandbox.User', 'Sandbox.Admin'],
    body: 'json',
  },
  { name: 'getSandbox', route: 'api/sandboxes/{name}', methods: ['GET'], roles: ['Sandbox.User'] },
  { name: 'health', route: 'api/health', methods: ['GET'] },
  { name: 'webPage', route: '{page:regex(^index.html$)?}', methods: ['GET'] },
];
// biome-ignore lint/suspicious/noExplicitAny: the document is read field by field
const document = buildOpenApiDocument(routes, apiOperations, options) as any;

describe('openApiPath', () => {
  it.each([
    ['api/sandboxes/{name}', '/api/sandboxes/{name}'],
    ['api/operations/{id:guid}', '/api/operations/{id}'],
    ['{page:regex(^index.html$)?}', '/'],
    ['assets/{*rest}', '/assets'],
  ])('maps %s to %s', (route, path) => {
    expect(openApiPath(route)).toBe(path);
  });
});

describe('buildOpenApiDocument', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result).toEqual({ valid: true });
  });

  it('asks for an Entra ID token where a role is needed, and for nothing where not', () => {
    expect(document.paths['/api/sandboxes/{name}'].get.security).toEqual([
      { entra: ['api://api/access_as_user'] },
      { bearer: [] },
    ]);
    expect(document.paths['/api/sandboxes/{name}'].get['x-app-roles']).toEqual(['Sandbox.User']);
    expect(document.paths['/api/health'].get.security).toEqual([]);
  });

  it('answers every authenticated operation’s failures as problem+json; writes may be paced', () => {
    expect(Object.keys(document.paths['/api/sandboxes'].post.responses)).toEqual([
      '202',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
    expect(document.components.responses.Problem401).toMatchObject({
      headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  });

  it('ties each blueprint’s parameters to its name in the request', () => {
    const request = document.components.schemas.SandboxRequest;
    expect(request.properties.blueprint.enum).toEqual([
      'empty',
      'mysql',
      'storage',
      'vm',
      'webapp',
    ]);
    expect(request.allOf).toContainEqual({
      if: { properties: { blueprint: { const: 'vm' } }, required: ['blueprint'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords
      then: { properties: { parameters: { $ref: '#/components/schemas/VmParameters' } } },
    });
    expect(document.components.schemas.VmParameters.required).toEqual(['sshPublicKey']);
  });

  it('still lists a function nobody described, and says so', () => {
    const undescribed = buildOpenApiDocument(
      [{ name: 'mystery', route: 'api/mystery', methods: ['GET'], roles: ['Sandbox.Admin'] }],
      apiOperations,
      options,
      // biome-ignore lint/suspicious/noExplicitAny: read field by field
    ) as any;
    expect(undescribed.paths['/api/mystery'].get.description).toMatch(/^Not described yet\./);
  });
});
