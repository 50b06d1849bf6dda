// Core types shared by ingest, engine, rules and outputs. Keep this file small and explicit:
// everything user-visible is rendered from these shapes elsewhere.

export type Severity = 'error' | 'suspect' | 'info';
export const SEVERITY_ZH: Record<Severity, string> = { error: '错误', suspect: '疑似', info: '提示' };

export type Family = 'ID' | 'BASE' | 'PAIR' | 'HELPER' | 'PROJ' | 'BENE' | 'FILE';
export const FAMILY_ZH: Record<Family, string> = {
  ID: '身份信息',
  BASE: '基础信息',
  PAIR: '结对关系',
  HELPER: '帮扶主体信息',
  PROJ: '项目信息',
  BENE: '受益对象',
  FILE: '文件结构',
};

/** The logical tables of SPEC §2.1. A sheet is classified into one or more of them by its headers. */
export type TableKind =
  | 'members' // 家庭成员
  | 'households' // 贫困户
  | 'helpers' // 帮扶责任人
  | 'pairings' // 结对帮扶
  | 'residencies' // 驻村工作队 / 第一书记
  | 'villages' // 贫困村
  | 'projects' // 项目库
  | 'beneficiaries'; // 项目受益户
export const TABLE_ZH: Record<TableKind, string> = {
  members: '家庭成员',
  households: '贫困户',
  helpers: '帮扶责任人',
  pairings: '结对帮扶',
  residencies: '驻村工作队',
  villages: '贫困村',
  projects: '项目库',
  beneficiaries: '项目受益户',
};

/** Where a row sits, as a person sees it: 1-based Excel row, or the CSV line. */
export interface Loc {
  file: string; // path relative to the input root, '/' separated
  sheet?: string; // absent for CSV
  row?: number;
}

export interface Region {
  province?: string;
  city?: string;
  county?: string;
  township?: string;
  village?: string;
}

// ---------------------------------------------------------------------------------------------
// Normalised cell values

/** A date with the precision it was written in: `2016` → {y}, `2016年3月` → {y,m}. */
export interface PartialDate {
  y: number;
  m?: number;
  d?: number;
}

/** An ID number (证件号码) as read, plus what a spreadsheet may have done to it. */
export interface IdValue {
  raw: string; // the cell text as read (numbers rendered without exponent where exact)
  text: string; // normalised: trimmed, half-width, upper-case X, inner spaces removed
  numericCell: boolean; // the cell was stored as a number (digits may be lost)
  scientific: boolean; // written in scientific notation (4.30524E+17)
}

/**
 * Per-sheet facts shared by every row of the sheet (one object per sheet, not per row):
 * which fields the sheet had columns for, so a rule can tell "empty" from "no such column".
 */
export interface SheetInfo {
  file: string;
  sheet?: string;
  tables: TableKind[];
  /** field keys per table that had a column in this sheet */
  fields: Partial<Record<TableKind, ReadonlySet<string>>>;
}

/**
 * One normalised row of one logical table. `v` holds parsed values (a key is absent when the cell
 * was empty or the column missing); `bad` holds the raw text of cells that were present but could
 * not be parsed or fall outside their dictionary — a bad cell never throws, it becomes data.
 */
export interface NormalRow<V = Record<string, unknown>> {
  table: TableKind;
  at: Loc;
  sheet: SheetInfo;
  v: V;
  bad?: Partial<Record<keyof V & string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Findings

export type RuleId = `${Family}-${string}`;

/** A finding is data; the Chinese message is rendered from it in src/i18n. */
export interface Finding {
  rule: RuleId;
  /** overrides the rule's default severity for this finding (e.g. ID-02 15-digit → suspect) */
  severity?: Severity;
  /** sub-problem of the rule ('missing', 'placeholder', …): part of the fingerprint and of the message */
  code?: string;
  table?: TableKind;
  at?: Loc;
  region?: Region;
  // entity keys (SPEC §3.0)
  householdNo?: string;
  name?: string;
  idNumber?: string;
  helperId?: string;
  projectNo?: string;
  village?: string;
  /**
   * A record without its own key (a project without 项目编号): its content stands in for the key in
   * the fingerprint, so two such records keep findings of their own
   */
  recordKey?: string;
  /** field key (camelCase, as in src/schema/tables.ts) */
  field?: string;
  value?: unknown;
  expected?: unknown;
  related?: string[];
  params?: Record<string, unknown>;
  /**
   * The entity key when a finding groups several places sharing one cause (ID-08: the duplicated
   * number): the fingerprint then does not depend on which place happens to be read first.
   */
  groupKey?: string;
}


/** A finding after the engine resolved severity, message and fingerprint. */
export interface ResolvedFinding extends Finding {
  severity: Severity;
  family: Family;
  title: string;
  message: string;
  fingerprint: string;
  /** other places (townships/villages) whose 整改台账 carry it: a helper's, project's, file's (src/outputs/routing.ts) */
  routes?: Region[];
  /** why it concerns no township at all (it goes to 整改台账_未注明乡镇) */
  unrouted?: string;
}
