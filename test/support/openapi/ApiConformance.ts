/**
 * Holds answers to the API's own OpenAPI document: finds the operation a request matched (path
 * template and method), the response it documents for the status (or `default`), the media type,
 * and validates the body against that schema with Ajv (JSON Schema 2020-12, formats). The
 * end-to-end tests' `stack.fetch` runs every answer through it, so each e2e test also checks the
 * document.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

interface PathTemplate {
  path: string;
  pattern: RegExp;
  /** Literal segments count more: `/api/cleanup/runs/latest` is not `{id}` if a literal exists. */
  literals: number;
}

/** What was answered, as the checker needs it. */
export interface ObservedAnswer {
  method: string;
  /** The request's path, without the query. */
  path: string;
  status: number;
  contentType: string | null;
  /** The body as text (empty for none). */
  body: string;
}

const pointerOf = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export class ApiConformance {
  private readonly ajv: Ajv2020;
  private readonly templates: PathTemplate[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
    this.templates = Object.keys(document.paths as Json)
      .map((path) => ({
        path,
        pattern: new RegExp(
          `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
        ),
        literals: path.split('/').filter((s) => s && !s.startsWith('{')).length,
      }))
      .sort((a, b) => b.literals - a.literals);
  }

  /**
   * Why the answer does not match the document, or `[]` when it does. Requests the document does
   * not describe (the host's admin API, an unknown route) are not the API's: `undefined`.
   */
  check(answer: ObservedAnswer): string[] | undefined {
    const method = answer.method.toLowerCase();
    const template = this.templates.find(
      (t) => t.pattern.test(answer.path) && (this.document.paths as Json)[t.path] !== undefined,
    );
    const operation = template
      ? ((this.document.paths as Record<string, Json>)[template.path]?.[method] as Json | undefined)
      : undefined;
    if (!template || !operation) return undefined;
    const where = `${answer.method} ${answer.path} → ${answer.status}`;
    const responses = operation.responses as Json;
    const key = String(answer.status) in responses ? String(answer.status) : 'default';
    let response = responses[key] as Json | undefined;
    if (!response) return [`${where}: the document lists no ${answer.status} for ${template.path}`];
    let responsePointer = pointerOf('paths', template.path, method, 'responses', key);
    if (typeof response.$ref === 'string') {
      const name = response.$ref.replace('#/components/responses/', '');
      response = ((this.document.components as Json).responses as Json)[name] as Json;
      responsePointer = pointerOf('components', 'responses', name);
    }
    const content = response.content as Record<string, Json> | undefined;
    if (!content) {
      return answer.body === '' ? [] : [`${where}: the document says no body, but one came`];
    }
    const type = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const mediaType = type in content ? type : '*/*' in content ? '*/*' : undefined;
    if (!mediaType) {
      return [`${where}: '${type}' is not among the documented ${Object.keys(content).join(', ')}`];
    }
    if (!type.includes('json') || !content[mediaType]?.schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    const schemaRef = `openapi.json#/${responsePointer}/${pointerOf('content', mediaType, 'schema')}`;
    let validate = this.compiled.get(schemaRef);
    if (!validate) {
      validate = this.ajv.compile({ $ref: schemaRef });
      this.compiled.set(schemaRef, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${where}: ${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  }
}
