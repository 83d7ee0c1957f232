import { DocumentReference, FieldValue, GeoPoint, Timestamp } from 'firebase/firestore';

/** A JSON Schema as the backend generates it (schema/json). */
export type JsonSchema = { readonly [key: string]: unknown };

/** One problem found before sending: where (`title`, `location.area.label`) and what. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Raised by the flows when the data would be refused; `issues` lists every problem. */
export class ValidationError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issues.map((issue) => `${issue.path || 'data'}: ${issue.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

type Defs = { readonly [name: string]: JsonSchema };

const regexCache = new Map<string, RegExp | null>();

function regex(pattern: string): RegExp | null {
  if (!regexCache.has(pattern)) {
    try {
      regexCache.set(pattern, new RegExp(pattern, 'u'));
    } catch {
      regexCache.set(pattern, null); // a Python-only construct: the rules stay the authority
    }
  }
  return regexCache.get(pattern) ?? null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOk(kind: string, value: unknown, format: unknown): boolean {
  switch (kind) {
    case 'string':
      if (format === 'date-time') return value instanceof Timestamp || value instanceof Date;
      if (format === 'firestore-document-path') {
        return typeof value === 'string' || value instanceof DocumentReference;
      }
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      if (format === 'firestore-geopoint') return value instanceof GeoPoint || isObject(value);
      return isObject(value);
    default:
      return true;
  }
}

function check(schema: JsonSchema, value: unknown, path: string, defs: Defs): ValidationIssue[] {
  if (value instanceof FieldValue) return []; // serverTimestamp(), increment(): the rules judge
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = defs[ref.replace('#/$defs/', '')];
    return target ? check(target, value, path, defs) : [];
  }
  const members = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (members) {
    const results = members.map((member) => check(member, value, path, defs));
    if (results.some((issues) => issues.length === 0)) return [];
    return results.reduce((best, issues) => (issues.length < best.length ? issues : best));
  }
  if (Array.isArray(schema['allOf'])) {
    return (schema['allOf'] as JsonSchema[]).flatMap((part) => check(part, value, path, defs));
  }
  const issue = (message: string): ValidationIssue[] => [{ path, message }];
  if ('const' in schema && value !== schema['const']) {
    return issue(`must be ${JSON.stringify(schema['const'])}`);
  }
  const choices = schema['enum'];
  if (Array.isArray(choices) && !choices.includes(value)) {
    return issue(`is ${JSON.stringify(value)}, must be one of ${choices.join(', ')}`);
  }
  const kind = schema['type'];
  const kinds = Array.isArray(kind) ? (kind as string[]) : typeof kind === 'string' ? [kind] : [];
  if (kinds.length && !kinds.some((one) => typeOk(one, value, schema['format']))) {
    return issue(`must be ${kinds.join(' or ')}${schema['format'] ? ` (${schema['format']})` : ''}`);
  }
  const found: ValidationIssue[] = [];
  if (typeof value === 'string') {
    const length = [...value].length;
    const min = schema['minLength'];
    const max = schema['maxLength'];
    if (typeof min === 'number' && length < min) found.push(...issue(`is ${length} characters, at least ${min} needed`));
    if (typeof max === 'number' && length > max) found.push(...issue(`is ${length} characters, at most ${max} allowed`));
    const pattern = schema['pattern'];
    if (typeof pattern === 'string' && !(regex(pattern)?.test(value) ?? true)) {
      found.push(...issue(`does not match ${pattern}`));
    }
  }
  if (typeof value === 'number') {
    const bounds: [string, (limit: number) => boolean, string][] = [
      ['minimum', (limit) => value >= limit, 'at least'],
      ['maximum', (limit) => value <= limit, 'at most'],
      ['exclusiveMinimum', (limit) => value > limit, 'more than'],
      ['exclusiveMaximum', (limit) => value < limit, 'less than'],
    ];
    for (const [key, ok, words] of bounds) {
      const limit = schema[key];
      if (typeof limit === 'number' && !ok(limit)) found.push(...issue(`is ${value}, must be ${words} ${limit}`));
    }
  }
  if (Array.isArray(value)) {
    const min = schema['minItems'];
    const max = schema['maxItems'];
    if (typeof min === 'number' && value.length < min) found.push(...issue(`has ${value.length} items, at least ${min} needed`));
    if (typeof max === 'number' && value.length > max) found.push(...issue(`has ${value.length} items, at most ${max} allowed`));
    const items = schema['items'];
    if (isObject(items)) {
      value.forEach((item, index) => found.push(...check(items, item, `${path}[${index}]`, defs)));
    }
  }
  if (isObject(value) && !(value instanceof GeoPoint) && !(value instanceof Timestamp)) {
    found.push(...checkObject(schema, value, path, defs, 'all'));
  }
  return found;
}

function checkObject(
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: string,
  defs: Defs,
  required: 'all' | 'none' | readonly string[],
): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const mustHave =
    required === 'all' ? ((schema['required'] ?? []) as string[]) : required === 'none' ? [] : required;
  for (const key of mustHave) {
    if (!(key in value)) found.push({ path: at(key), message: 'is required' });
  }
  const additional = schema['additionalProperties'];
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (property) found.push(...check(property, item, at(key), defs));
    else if (additional === false) found.push({ path: at(key), message: 'is not a field of this document' });
    else if (isObject(additional)) found.push(...check(additional, item, at(key), defs));
  }
  return found;
}

/**
 * The problems of `data` as a write of a document of `schema`: every given field against its
 * schema; on a create, also the fields the document must hold. Sentinels (serverTimestamp(),
 * increment()) are left to the rules, which stay the authority.
 */
export function validateWrite(
  schema: JsonSchema,
  data: Record<string, unknown>,
  required: readonly string[] | 'none',
): ValidationIssue[] {
  const defs = (schema['$defs'] ?? {}) as Defs;
  const variants = (schema['oneOf'] ?? schema['anyOf']) as JsonSchema[] | undefined;
  if (!variants) return checkObject(schema, data, '', defs, required);
  const results = variants.map((variant) => {
    const resolved = typeof variant['$ref'] === 'string' ? defs[variant['$ref'].replace('#/$defs/', '')] ?? variant : variant;
    return checkObject(resolved, data, '', defs, required);
  });
  if (results.some((issues) => issues.length === 0)) return [];
  return results.reduce((best, issues) => (issues.length < best.length ? issues : best));
}

/** `validateWrite`, raising a ValidationError listing the problems. */
export function assertValidWrite(
  schema: JsonSchema,
  data: Record<string, unknown>,
  required: readonly string[] | 'none',
): void {
  const issues = validateWrite(schema, data, required);
  if (issues.length) throw new ValidationError(issues);
}
