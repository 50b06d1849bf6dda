// What a finished check leaves for its result page (result.json next to findings.jsonl, 台账 and
// summary.json): per-village rows, counts by family and by rule, out-of-scope regions, file list.
import type { Family } from '../../model.js';
import type { VillageSummary } from '../../outputs/summary.js';
import type { OutOfScopeRegion } from './scope.js';
import type { VillageVerification } from '../../outputs/verify.js';

export interface ResultFileSheet {
  file: string;
  sheet?: string;
  tables: string[];
  dataRows: number;
  rejectedRows: number;
  readable: boolean;
  error?: string;
}

export interface RuleTally {
  rule: string;
  family: Family;
  title: string;
  explain: string;
  error: number;
  suspect: number;
  info: number;
  total: number;
}

export interface CheckResultPage {
  asOf: string;
  scopeName: string;
  villages: VillageSummary[];
  byFamily: { family: Family; error: number; suspect: number; info: number }[];
  rules: RuleTally[];
  outOfScope: OutOfScopeRegion[];
  files: ResultFileSheet[];
  workbooks: string[];
  /** SVG charts rendered when the run finished */
  charts: { family: string; village: string };
  totals: { findings: number; error: number; suspect: number; info: number; households: number; people: number };
}

export interface VerifyResultPage {
  asOf: string;
  villages: Pick<VillageVerification, 'township' | 'village' | 'findings' | 'fixed' | 'explained' | 'open' | 'completionRate' | 'scoreBefore' | 'scoreAfter'>[];
  counts: Record<'已整改' | '未整改' | '已说明' | '待核实', number>;
  newFindings: number;
  rows: { rule: string; village: string; household_no: string; result: string; judgement: string }[];
  notes: string[];
  workbook: string;
  chart: string;
}
