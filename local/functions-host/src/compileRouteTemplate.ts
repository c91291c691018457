/**
 * ASP.NET-style route templates as the Functions host accepts them: literal segments,
 * `{name}`, optional `{name?}`, defaults `{name=value}`, catch-all `{*rest}`, and inline
 * constraints such as `{id:int}`, `{code:length(3)}` or `{slug:regex(^[a-z-]+$)}`.
 */

export interface CompiledRoute {
  template: string;
  /** Orders routes as the host does: literals before parameters before catch-alls. */
  precedence: number[];
  match(path: string): Record<string, string> | undefined;
}

type Segment =
  | { kind: 'literal'; text: string }
  | {
      kind: 'parameter';
      name: string;
      optional: boolean;
      catchAll: boolean;
      fallback?: string;
      constraints: ((value: string) => boolean)[];
    };

/** Thrown when a route template cannot be parsed; names the template. */
export class RouteTemplateError extends Error {
  constructor(template: string, reason: string) {
    super(`Invalid route template "${template}": ${reason}`);
    this.name = 'RouteTemplateError';
  }
}

const numberPattern = /^-?\d+$/;
const guidPattern = /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

function constraintFor(template: string, spec: string): (value: string) => boolean {
  const match = /^(\w+)(?:\((.*)\))?$/s.exec(spec);
  if (!match) throw new RouteTemplateError(template, `bad constraint "${spec}"`);
  const name = match[1]!.toLowerCase();
  const args = (match[2] ?? '').split(',').map((a) => a.trim());
  const n = args.map(Number);
  switch (name) {
    case 'int':
      return (v) => numberPattern.test(v) && Math.abs(Number(v)) <= 2_147_483_648;
    case 'long':
      return (v) => numberPattern.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      return (v) => guidPattern.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return (v) => v.trim() !== '' && Number.isFinite(Number(v));
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'min':
      return (v) => numberPattern.test(v) && Number(v) >= n[0]!;
    case 'max':
      return (v) => numberPattern.test(v) && Number(v) <= n[0]!;
    case 'range':
      return (v) => numberPattern.test(v) && Number(v) >= n[0]! && Number(v) <= n[1]!;
    case 'length':
      return args.length === 1
        ? (v) => v.length === n[0]
        : (v) => v.length >= n[0]! && v.length <= n[1]!;
    case 'minlength':
      return (v) => v.length >= n[0]!;
    case 'maxlength':
      return (v) => v.length <= n[0]!;
    case 'regex': {
      const pattern = new RegExp(match[2] ?? '', 'i');
      return (v) => pattern.test(v);
    }
    default:
      throw new RouteTemplateError(template, `unknown constraint "${name}"`);
  }
}

function parseSegment(template: string, raw: string): Segment {
  if (!raw.startsWith('{')) {
    if (raw.includes('{') || raw.includes('}')) {
      throw new RouteTemplateError(
        template,
        `a segment must be a literal or one parameter: "${raw}"`,
      );
    }
    return { kind: 'literal', text: raw };
  }
  if (!raw.endsWith('}')) throw new RouteTemplateError(template, `unclosed parameter "${raw}"`);
  let body = raw.slice(1, -1);
  const catchAll = body.startsWith('*');
  if (catchAll) body = body.replace(/^\*+/, '');
  let optional = false;
  let fallback: string | undefined;
  const eq = body.indexOf('=');
  if (eq >= 0) {
    fallback = body.slice(eq + 1);
    body = body.slice(0, eq);
  }
  if (body.endsWith('?')) {
    optional = true;
    body = body.slice(0, -1);
  }
  const [name, ...specs] = splitConstraints(body);
  if (!name || !/^\w+$/.test(name))
    throw new RouteTemplateError(template, `bad parameter "${raw}"`);
  return {
    kind: 'parameter',
    name,
    optional: optional || catchAll || fallback !== undefined,
    catchAll,
    fallback,
    constraints: specs.map((spec) => constraintFor(template, spec)),
  };
}

/** Splits `id:int:min(1)` on colons outside parentheses. */
function splitConstraints(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function precedenceOf(segment: Segment): number {
  if (segment.kind === 'literal') return 1;
  if (segment.catchAll) return 5;
  if (segment.optional) return 4;
  return segment.constraints.length > 0 ? 2 : 3;
}

/**
 * Compiles a route template into a matcher over a URL path (without the route prefix).
 * Matching ignores case for literals and decodes each segment.
 *
 * @example
 * compileRouteTemplate('items/{id:int}/{tag?}').match('items/42'); // { id: '42' }
 */
export function compileRouteTemplate(template: string): CompiledRoute {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const segments =
    trimmed === '' ? [] : trimmed.split('/').map((raw) => parseSegment(template, raw));
  segments.forEach((segment, index) => {
    if (segment.kind === 'parameter' && segment.catchAll && index !== segments.length - 1) {
      throw new RouteTemplateError(template, 'a catch-all parameter must be the last segment');
    }
  });

  return {
    template: trimmed,
    precedence: segments.map(precedenceOf),
    match(path) {
      const trimmedPath = path.replace(/^\/+|\/+$/g, '');
      const parts = trimmedPath === '' ? [] : trimmedPath.split('/');
      const values: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const part = parts[i];
        if (segment.kind === 'literal') {
          if (part === undefined || part.toLowerCase() !== segment.text.toLowerCase())
            return undefined;
          continue;
        }
        if (segment.catchAll) {
          const rest = parts.slice(i).map(safeDecode).join('/');
          if (rest !== '') values[segment.name] = rest;
          else if (segment.fallback !== undefined) values[segment.name] = segment.fallback;
          return values;
        }
        if (part === undefined || part === '') {
          if (!segment.optional) return undefined;
          if (segment.fallback !== undefined) values[segment.name] = segment.fallback;
          continue;
        }
        const value = safeDecode(part);
        if (!segment.constraints.every((check) => check(value))) return undefined;
        values[segment.name] = value;
      }
      return parts.length <= segments.length ? values : undefined;
    },
  };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Sorts routes so that the most specific template is tried first. */
export function compareRoutePrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
