// A rule's thresholds (its params schema) as JSON Schema for `qingxi rules --json`, and in Chinese
// for the text view and docs/rules.md.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The params schema as JSON Schema of what a config may write (zod's input side), each threshold
 * with its default. zod leaves out the default of a threshold whose schema transforms its value
 * (PAIR-07's perRank), since a default is an output value; the rule sees the parsed defaults, so
 * they are filled in from parsing an empty setting.
 */
export function thresholdsSchema(params: z.ZodType | undefined): JsonSchema | null {
  if (!params) return null;
  const schema = z.toJSONSchema(params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const defaults = params.safeParse({});
  const props = schema['properties'] as Record<string, JsonSchema> | undefined;
  if (props && defaults.success && defaults.data && typeof defaults.data === 'object') {
    for (const [key, prop] of Object.entries(props)) {
      const d = (defaults.data as Record<string, unknown>)[key];
      if (!('default' in prop) && d !== undefined) prop['default'] = JSON.parse(JSON.stringify(d)) as unknown;
    }
  }
  return schema;
}

export interface ThresholdText {
  key: string;
  /** 整数，不小于 0 */
  kind: string;
  /** the default as a config would write it, JSON */
  default?: string;
  /** the schema's description, where it has one */
  description?: string;
}

const TYPE_ZH: Record<string, string> = {
  integer: '整数',
  number: '数字',
  string: '文字',
  boolean: 'true 或 false',
  array: '列表',
  object: '键值表',
};

/** One value's schema in Chinese: type and bounds. */
function kindText(s: JsonSchema): string {
  if (Array.isArray(s['enum'])) return `取 ${(s['enum'] as unknown[]).map((v) => JSON.stringify(v)).join('、')} 之一`;
  const type = typeof s['type'] === 'string' ? (s['type'] as string) : undefined;
  const parts: string[] = [type ? (TYPE_ZH[type] ?? type) : '任意值'];
  if (typeof s['minimum'] === 'number' && s['minimum'] > -MAX_SAFE) parts.push(`不小于 ${s['minimum']}`);
  if (typeof s['exclusiveMinimum'] === 'number') parts.push(`大于 ${s['exclusiveMinimum']}`);
  if (typeof s['maximum'] === 'number' && s['maximum'] < MAX_SAFE) parts.push(`不大于 ${s['maximum']}`);
  if (typeof s['exclusiveMaximum'] === 'number') parts.push(`小于 ${s['exclusiveMaximum']}`);
  if (typeof s['pattern'] === 'string') parts.push(`格式 ${s['pattern']}`);
  if (type === 'object' && s['additionalProperties'] && typeof s['additionalProperties'] === 'object') {
    parts.push(`每项的值为${kindText(s['additionalProperties'] as JsonSchema)}`);
  }
  if (type === 'array' && s['items'] && typeof s['items'] === 'object') parts.push(`每项为${kindText(s['items'] as JsonSchema)}`);
  return parts.join('，');
}

/** Each threshold of a thresholds schema, in Chinese. */
export function thresholdTexts(schema: JsonSchema | null): ThresholdText[] {
  const props = schema?.['properties'] as Record<string, JsonSchema> | undefined;
  if (!props) return [];
  return Object.entries(props).map(([key, s]) => {
    const t: ThresholdText = { key, kind: kindText(s) };
    if ('default' in s) t.default = JSON.stringify(s['default']);
    if (typeof s['description'] === 'string' && s['description']) t.description = s['description'];
    return t;
  });
}

/** “pairGapDays（整数，不小于 0；默认 0）” */
export function thresholdLine(t: ThresholdText): string {
  return `${t.key}${t.description ? ` ${t.description}` : ''}（${t.kind}${t.default !== undefined ? `；默认 ${t.default}` : ''}）`;
}
