// Config file (SPEC §6): JSON, validated with zod, unknown keys refused with a clear message.
// Per rule: enabled, severity and the rule's own thresholds (validated by the rule's params schema).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RuleId, Severity, TableKind } from './model.js';
import { TABLE_ZH } from './model.js';
import type { AnyRule } from './engine/rule.js';
import { dataPath } from './paths.js';
import { UsageError } from './core/errors.js';
import { nearest } from './i18n/suggest.js';
import { LimitsConfig, resolveLimits, type Limits } from './ingest/limits.js';
import { DIALECT_ZH, RELATION_DIALECTS, type RelationDialect } from './normalize/dialect.js';
import { nearestKeys, resolveField, resolveTable, TABLE_KINDS, type ColumnsEntry } from './ingest/columns.js';
import { ISO_DATE_TEXT } from './core/as-of.js';
import { jsonSyntaxError } from './core/json-syntax.js';


const ConfigFile = z
  .object({
    $schema: z.string().optional(),
    asOf: z.string().regex(ISO_DATE_TEXT, '日期格式应为 YYYY-MM-DD').optional(),
    /** poverty line override, yuan per person per year by exit year (SPEC §5) */
    povertyLine: z.record(z.string().regex(/^\d{4}$/, '年份应为四位数字'), z.number().positive()).optional(),
    rules: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** what one input file may cost (src/ingest/limits.ts); unset keys keep their defaults */
    limits: LimitsConfig.optional(),
    /** forced readings of sheets that detection alone cannot read (SPEC §6, src/ingest/columns.ts) */
    columns: z
      .array(
        z
          .object({
            file: z.string({ error: '应为文件名模式（文字，可用 * 和 ?）' }).min(1, { error: '不能为空' }).optional(),
            sheet: z.string({ error: '应为工作表名模式（文字，可用 * 和 ?）' }).min(1, { error: '不能为空' }).optional(),
            table: z
              .union([z.string(), z.array(z.string()).min(1, { error: '至少一个表' })], { error: '应为表名或表名列表' })
              .optional(),
            headerRows: z
              .union(
                [
                  z.number().int().positive(),
                  z.array(z.number().int().positive()).min(1, { error: '至少一行' }).max(3, { error: '表头最多 3 行' }),
                ],
                { error: '应为行号（从 1 起的整数）或 1–3 个连续行号的列表' },
              )
              .optional(),
            fields: z.record(z.string(), z.string({ error: '应为字段名（如 id_number）或标准表头（如 证件号码）' })).optional(),
            relationCodes: z
              .enum(RELATION_DIALECTS as [RelationDialect, ...RelationDialect[]], {
                error: `应为 ${RELATION_DIALECTS.map((d) => `${d}（${DIALECT_ZH[d]}）`).join(' 或 ')}`,
              })
              .optional(),
          })
          .strict(),
        { error: '应为列表（[ {...}, ... ]）' },
      )
      .optional(),
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
  /** forced sheet readings, in config order (the first matching entry wins) */
  columns: ColumnsEntry[];
}

/** A config file that cannot be used (Chinese message naming the place and the nearest key). */
export class ConfigError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The keys a (zod 4) schema accepts at a path: unwraps optional/default, follows objects and records. */
function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let s = schema as { _zod?: { def: Record<string, unknown> } } | undefined;
  const unwrap = () => {
    while (s?._zod && ['optional', 'default', 'nullable', 'prefault', 'readonly'].includes(String(s._zod.def['type']))) s = s._zod.def['innerType'] as typeof s;
  };
  unwrap();
  for (const k of path) {
    const def = s?._zod?.def;
    if (!def) return [];
    if (def['type'] === 'object') s = (def['shape'] as Record<string, typeof s>)[String(k)];
    else if (def['type'] === 'record') s = def['valueType'] as typeof s;
    else return [];
    unwrap();
  }
  const def = s?._zod?.def;
  return def && def['type'] === 'object' ? Object.keys(def['shape'] as object) : [];
}

const TYPE_ZH: Record<string, string> = { number: '数字', string: '文字（加英文双引号）', boolean: 'true 或 false', object: '{ … } 对象', array: '[ … ] 列表', int: '整数' };

/** One zod issue in Chinese (zod's own messages are English unless the schema gave one). */
function issueZh(i: z.core.$ZodIssue): string {
  if (/[\u4e00-\u9fff]/.test(i.message)) return i.message;
  const x = i as unknown as Record<string, unknown>;
  switch (i.code) {
    case 'invalid_type':
      return `应为${TYPE_ZH[String(x['expected'])] ?? String(x['expected'])}`;
    case 'too_small':
      return `不能小于 ${String(x['minimum'])}`;
    case 'too_big':
      return `不能大于 ${String(x['maximum'])}`;
    case 'invalid_value':
      return `只能是 ${((x['values'] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join('、')}`;
    case 'invalid_format':
      return '格式不对';
    case 'invalid_key': {
      const inner = ((x['issues'] as { message?: string }[]) ?? [])[0]?.message ?? '';
      return /[\u4e00-\u9fff]/.test(inner) ? inner : '键名不对';
    }
    case 'not_multiple_of':
      return `应为 ${String(x['divisor'])} 的整数倍`;
    default:
      return '取值不对';
  }
}

/**
 * zod issues in Chinese, each with its location (never empty: an unknown key names itself) and,
 * for an unknown key, the nearest known key at that place.
 */
function zodMessage(e: z.ZodError, prefix: string, schema: unknown, extraKeys: readonly string[] = []): string {
  return e.issues
    .map((i) => {
      const base = [prefix, ...i.path.map(String)].filter(Boolean);
      if (i.code === 'unrecognized_keys') {
        const known = [...keysAt(schema, i.path), ...extraKeys];
        const where = base.length ? `“${base.join('.')}”中` : '配置文件顶层';
        return i.keys
          .map((k) => {
            const hint = nearest(k, known);
            return `${[...base, k].join('.')}：${where}不认识的配置项“${k}”${hint ? `，您是不是要写 ${hint}？` : known.length ? `（可用：${known.join('、')}）` : ''}`;
          })
          .join('；');
      }
      return `${base.join('.') || '配置文件'}：${issueZh(i)}`;
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
  if (!parsed.success) throw new ConfigError('配置文件有误：' + zodMessage(parsed.error, '', ConfigFile));
  const file = parsed.data;
  const povertyLine = { ...defaultPovertyLine() };
  for (const [y, v] of Object.entries(file.povertyLine ?? {})) povertyLine[Number(y)] = v;
  const settings = new Map<RuleId, RuleSettings>();
  const byId = new Map(rules.map((r) => [r.id as string, r]));
  for (const [id, raw] of Object.entries(file.rules ?? {})) {
    if (!byId.has(id)) {
      const hint = nearest(id, byId.keys());
      throw new ConfigError(`配置文件有误：rules.${id}：没有这条规则${hint ? `，您是不是要写 ${hint}？` : '（可用 qingxi rules 查看规则编号）'}`);
    }
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
      if (!p.success) throw new ConfigError('配置文件有误：' + zodMessage(p.error, `rules.${rule.id}`, rule.params, ['enabled', 'severity']));
      params = p.data;
    } else if (Object.keys(rest).length > 0) {
      const hint = Object.keys(rest).map((k) => nearest(k, ['enabled', 'severity'])).find(Boolean);
      throw new ConfigError(`配置文件有误：rules.${rule.id}：该规则没有参数 ${Object.keys(rest).join('、')}${hint ? `，您是不是要写 ${hint}？` : '（只能设 enabled 和 severity）'}`);
    }
    settings.set(rule.id, { enabled: enabled ?? true, severity: severity as Severity | undefined, params });
  }
  return {
    asOf: file.asOf,
    povertyLine,
    rules: settings,
    limits: resolveLimits(file.limits),
    columns: (file.columns ?? []).map((e, i) => resolveColumnsEntry(e, i)),
  };
}

type RawColumnsEntry = NonNullable<ConfigFile['columns']>[number];

/** Checks what zod cannot: table names, consecutive header rows, field names (with suggestions). */
function resolveColumnsEntry(e: RawColumnsEntry, i: number): ColumnsEntry {
  const at = `columns[${i}]${e.file || e.sheet ? `（${[e.file && `文件 ${e.file}`, e.sheet && `工作表 ${e.sheet}`].filter(Boolean).join('，')}）` : ''}`;
  const fail = (key: string, msg: string) => {
    throw new ConfigError(`配置文件有误：${at}.${key}: ${msg}`);
  };
  if (e.table === undefined && e.headerRows === undefined && e.fields === undefined && e.relationCodes === undefined) {
    throw new ConfigError(`配置文件有误：${at}: 至少要指定 table、headerRows、fields 或 relationCodes 之一`);
  }
  let tables: TableKind[] | undefined;
  if (e.table !== undefined) {
    tables = [];
    for (const name of Array.isArray(e.table) ? e.table : [e.table]) {
      const t = resolveTable(name);
      if (!t) fail('table', `不认识的表“${name}”，可用：${TABLE_KINDS.map((k) => `${k}（${TABLE_ZH[k]}）`).join('、')}`);
      else if (!tables.includes(t)) tables.push(t);
    }
  }
  let headerRows: number[] | undefined;
  if (e.headerRows !== undefined) {
    headerRows = Array.isArray(e.headerRows) ? [...e.headerRows].sort((a, b) => a - b) : [e.headerRows];
    if (headerRows.some((r, k) => k > 0 && r !== headerRows![k - 1]! + 1)) fail('headerRows', `表头行 ${headerRows.join('、')} 应为连续的行`);
  }
  let fields: Record<string, string> | undefined;
  if (e.fields !== undefined) {
    fields = {};
    for (const [header, name] of Object.entries(e.fields)) {
      if (!header.trim()) fail('fields', '表头不能为空');
      if (!name.trim()) {
        fields[header] = ''; // left empty (as inspect's snippet lists it): the column is ignored
        continue;
      }
      const key = resolveField(name, tables);
      if (!key) {
        const near = nearestKeys(name, tables);
        const scope = tables ? `表 ${tables.map((t) => TABLE_ZH[t]).join('、')} 中` : '';
        fail(`fields.「${header}」`, `${scope}没有字段“${name}”${near.length ? `，是不是 ${near.map((k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())).join('、')}？` : ''}（可用 qingxi inspect 查看可用字段）`);
      } else fields[header] = key;
    }
  }
  return {
    index: i + 1,
    ...(e.file !== undefined ? { file: e.file } : {}),
    ...(e.sheet !== undefined ? { sheet: e.sheet } : {}),
    ...(tables ? { tables } : {}),
    ...(headerRows ? { headerRows } : {}),
    ...(fields ? { fields } : {}),
    ...(e.relationCodes ? { relationCodes: e.relationCodes } : {}),
  };
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
    throw new ConfigError(`配置文件“${path}”不是合法的 JSON：${jsonSyntaxError(text.replace(/^\ufeff/, ''), e as Error)}`);
  }
  return resolveConfig(json, rules);
}
