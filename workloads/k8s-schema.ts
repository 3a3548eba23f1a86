// Strict (kubeconform-style) JSON Schemas of Kubernetes objects, built from the attribute
// type maps that the official JavaScript client (@kubernetes/client-node) generates from the
// Kubernetes OpenAPI spec of its release. Every object admits exactly the properties the API
// defines (additionalProperties: false), with their types: nothing here lists keys by hand.
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
// The generated models only (no HTTP client code is loaded). require() of this ES module
// (Node ≥ 20.19) keeps its 2,700 declaration files out of the type check.
const MODELS = require('@kubernetes/client-node/dist/gen/models/all.js') as Record<string, { getAttributeTypeMap?(): Attr[] }>;

/** The Kubernetes release whose OpenAPI spec @kubernetes/client-node 2.0.1 was generated from. */
export const KUBERNETES_VERSION = '1.36';

interface Attr { name: string; baseName: string; type: string; format: string }
type Schema = Record<string, unknown>;

/** apiVersion + kind → the generated model's class name (V1Deployment, V2HorizontalPodAutoscaler). */
export function modelName(apiVersion: string, kind: string): string | null {
  const version = apiVersion.split('/').at(-1)!;
  const name = `${version[0]!.toUpperCase()}${version.slice(1)}${kind}`;
  return MODELS[name]?.getAttributeTypeMap ? name : null;
}

function schemaOf(type: string, format: string, defs: Record<string, Schema>): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: schemaOf(array[1]!, '', defs) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: schemaOf(map[1]!, '', defs) };
  switch (type) {
    case 'string': return { type: 'string' };
    case 'Date': return { type: 'string' };
    case 'boolean': return { type: 'boolean' };
    case 'number': return { type: /^int(32|64)$/.test(format) ? 'integer' : 'number' };
    case 'IntOrString': return { type: ['integer', 'string'] };
    case 'any': case 'object': return {};
  }
  const model = MODELS[type];
  if (!model?.getAttributeTypeMap) throw new Error(`no generated model for type ${type}`);
  if (!defs[type]) {
    defs[type] = {}; // placeholder first: models refer to themselves (JSONSchemaProps)
    const attrs = model.getAttributeTypeMap();
    defs[type] = {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(attrs.map((a) => [a.baseName, schemaOf(a.type, a.format, defs)])),
    };
  }
  return { $ref: `#/definitions/${type}` };
}

/** The strict JSON Schema of one model, with every model it uses under `definitions`. */
export function strictSchema(model: string): Schema {
  const defs: Record<string, Schema> = {};
  const root = schemaOf(model, '', defs);
  return { ...root, definitions: defs };
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();

/** Validate `obj` against the strict schema of `model`; errors as "path: message". */
export function strictErrors(model: string, obj: unknown): string[] {
  let validate = compiled.get(model);
  if (!validate) {
    validate = ajv.compile(strictSchema(model));
    compiled.set(model, validate);
  }
  if (validate(obj)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(e: ErrorObject): string {
  const path = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return `unknown field ${path ? `${path}.` : ''}${extra}`;
  }
  return `${path || '(root)'}: ${e.message ?? e.keyword}`;
}
