// Config file (SPEC §6): JSON, validated with zod, unknown keys refused with a clear message.
// Per rule: enabled, severity and the rule's own thresholds (validated by the rule's params schema).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RuleId, Severity, TableKind } from './model.js';
import { TABLE_ZH } from './model.js';
import type { AnyRule } from './engine/rule.js';
import { dataPath } from './paths.js';
import { DEFAULT_XLS_MAX_BYTES } from './ingest/index.js';
import { DIALECT_ZH, RELATION_DIALECTS, type RelationDialect } from './normalize/dialect.js';
import { nearestKeys, resolveField, resolveTable, TABLE_KINDS, type ColumnsEntry } from './ingest/columns.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const ConfigFile = z
  .object({
    $schema: z.string().optional(),
    asOf: z.string().regex(DATE, '日期格式应为 YYYY-MM-DD').optional(),
    /** poverty line override, yuan per person per year by exit year (SPEC §5) */
    povertyLine: z.record(z.string().regex(/^\d{4}$/, '年份应为四位数字'), z.number().positive()).optional(),
    rules: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    limits: z
      .object({
        /** .xls / .et / HTML / XML spreadsheets are parsed whole in memory: their own size cap */
        xlsMaxBytes: z.number({ error: '应为字节数（数字）' }).int({ error: '应为整数' }).positive({ error: '应大于 0' }).optional(),
      })
      .strict()
      .optional(),
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

export interface Limits {
  /** bytes of a file read whole by SheetJS (.xls, .et, HTML or XML spreadsheets) */
  xlsMaxBytes: number;
}

export interface Config {
  asOf?: string;
  povertyLine: Record<number, number>;
  rules: Map<RuleId, RuleSettings>;
  limits: Limits;
  /** forced sheet readings, in config order (the first matching entry wins) */
  columns: ColumnsEntry[];
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
  return {
    asOf: file.asOf,
    povertyLine,
    rules: settings,
    limits: { xlsMaxBytes: file.limits?.xlsMaxBytes ?? DEFAULT_XLS_MAX_BYTES },
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
    throw new ConfigError(`配置文件不是合法的 JSON：${path}（${(e as Error).message}）`);
  }
  return resolveConfig(json, rules);
}

/** Config for the registered rules (validators/index.ts), from a file or the defaults. */
export async function loadConfig(path?: string): Promise<Config> {
  const { RULES } = await import('../validators/index.js');
  return loadConfigFile(path, RULES);
}
