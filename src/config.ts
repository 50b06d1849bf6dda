// Config file (SPEC §6): JSON, validated with zod, unknown keys refused with a clear message.
// Per rule: enabled, severity and the rule's own thresholds (validated by the rule's params schema).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RuleId, Severity } from './model.js';
import type { AnyRule } from './engine/rule.js';
import { dataPath } from './paths.js';
import { LimitsConfig, resolveLimits, type Limits } from './ingest/limits.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const ConfigFile = z
  .object({
    $schema: z.string().optional(),
    asOf: z.string().regex(DATE, '日期格式应为 YYYY-MM-DD').optional(),
    /** poverty line override, yuan per person per year by exit year (SPEC §5) */
    povertyLine: z.record(z.string().regex(/^\d{4}$/, '年份应为四位数字'), z.number().positive()).optional(),
    rules: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** what one input file may cost (src/ingest/limits.ts); unset keys keep their defaults */
    limits: LimitsConfig.optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof ConfigFile>;

export interface RuleSettings {
  enabled: boolean;
  severity?: Severity;
  params: unknown;
}

export interface Config {
  asOf?: string;
  povertyLine: Record<number, number>;
  rules: Map<RuleId, RuleSettings>;
  limits: Limits;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function zodMessage(e: z.ZodError, prefix: string): string {
  return e.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      if (i.code === 'unrecognized_keys') return `${path}: 不认识的配置项 ${i.keys.join('、')}`;
      return `${path}: ${i.message}`;
    })
    .join('；');
}

export function defaultPovertyLine(): Record<number, number> {
  const raw = JSON.parse(readFileSync(dataPath('poverty-line.json'), 'utf8')) as { lines: Record<string, number> };
  const out: Record<number, number> = {};
  for (const [y, v] of Object.entries(raw.lines)) out[Number(y)] = v;
  return out;
}

/** Validate a parsed config object against the rule registry. Throws ConfigError (Chinese). */
export function resolveConfig(input: unknown, rules: readonly AnyRule[]): Config {
  const parsed = ConfigFile.safeParse(input ?? {});
  if (!parsed.success) throw new ConfigError('配置文件有误：' + zodMessage(parsed.error, ''));
  const file = parsed.data;
  const povertyLine = { ...defaultPovertyLine() };
  for (const [y, v] of Object.entries(file.povertyLine ?? {})) povertyLine[Number(y)] = v;
  const settings = new Map<RuleId, RuleSettings>();
  const byId = new Map(rules.map((r) => [r.id as string, r]));
  for (const [id, raw] of Object.entries(file.rules ?? {})) {
    if (!byId.has(id)) throw new ConfigError(`配置文件有误：rules.${id}: 没有这条规则（可用 qingxi rules 查看规则编号）`);
  }
  for (const rule of rules) {
    const raw = (file.rules ?? {})[rule.id] ?? {};
    const { enabled, severity, ...rest } = raw as { enabled?: unknown; severity?: unknown };
    if (enabled !== undefined && typeof enabled !== 'boolean')
      throw new ConfigError(`配置文件有误：rules.${rule.id}.enabled 应为 true 或 false`);
    if (severity !== undefined && severity !== 'error' && severity !== 'suspect' && severity !== 'info')
      throw new ConfigError(`配置文件有误：rules.${rule.id}.severity 应为 error、suspect 或 info`);
    let params: unknown = {};
    if (rule.params) {
      const p = rule.params.safeParse(rest);
      if (!p.success) throw new ConfigError('配置文件有误：' + zodMessage(p.error, `rules.${rule.id}`));
      params = p.data;
    } else if (Object.keys(rest).length > 0) {
      throw new ConfigError(`配置文件有误：rules.${rule.id}: 该规则没有参数 ${Object.keys(rest).join('、')}`);
    }
    settings.set(rule.id, { enabled: enabled ?? true, severity: severity as Severity | undefined, params });
  }
  return { asOf: file.asOf, povertyLine, rules: settings, limits: resolveLimits(file.limits) };
}

/** Read and validate a config file (JSON). */
export function loadConfigFile(path: string | undefined, rules: readonly AnyRule[]): Config {
  if (!path) return resolveConfig({}, rules);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`无法读取配置文件：${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    throw new ConfigError(`配置文件不是合法的 JSON：${path}（${(e as Error).message}）`);
  }
  return resolveConfig(json, rules);
}

/** Config for the registered rules (validators/index.ts), from a file or the defaults. */
export async function loadConfig(path?: string): Promise<Config> {
  const { RULES } = await import('../validators/index.js');
  return loadConfigFile(path, RULES);
}
