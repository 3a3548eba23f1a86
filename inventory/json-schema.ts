// JSON Schema files generated from the zod schema, so editors autocomplete the YAML.
// `coc inventory schema` rewrites them; a test keeps the committed files in step.
import { z } from 'zod';
import { SiteFileSchema, TablesFileSchema } from './schema.ts';

export function jsonSchemas(): Record<string, unknown> {
  const gen = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title,
  });
  return {
    'site.schema.json': gen(SiteFileSchema, 'coc-infra site inventory (oog.yaml, ccop.yaml)'),
    'tables.schema.json': gen(TablesFileSchema, 'coc-infra table catalogue (tables.yaml)'),
  };
}
