// findings.jsonl (SPEC §4): one JSON object per finding, with full ID numbers (this file goes only
// to people entitled to the records; logs never carry them).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ResolvedFinding } from '../model.js';
import { displayValue, isIdValue } from '../core/values.js';
import { specKey } from '../schema/tables.js';

export interface FindingRecord {
  rule: string;
  family: string;
  severity: string;
  title: string;
  message: string;
  table: string | null;
  file: string | null;
  sheet: string | null;
  row: number | null;
  county: string | null;
  township: string | null;
  village: string | null;
  household_no: string | null;
  name: string | null;
  id_number: string | null;
  helper_id: string | null;
  project_no: string | null;
  field: string | null;
  value: string | null;
  expected: string | null;
  related: string[];
  code: string | null;
  fingerprint: string;
}

function idText(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (isIdValue(v)) return v.raw || v.text;
  return String(v);
}

function orNull(s: string | undefined): string | null {
  return s === undefined || s === '' ? null : s;
}

export function toRecord(f: ResolvedFinding): FindingRecord {
  const value = f.value === undefined ? null : displayValue(f.value);
  const expected = f.expected === undefined ? null : displayValue(f.expected);
  return {
    rule: f.rule,
    family: f.family,
    severity: f.severity,
    title: f.title,
    message: f.message,
    table: f.table ?? null,
    file: f.at?.file ?? null,
    sheet: f.at?.sheet ?? null,
    row: f.at?.row ?? null,
    county: orNull(f.region?.county),
    township: orNull(f.region?.township),
    village: orNull(f.region?.village ?? f.village),
    household_no: orNull(f.householdNo),
    name: orNull(f.name),
    id_number: idText(f.idNumber),
    helper_id: idText(f.helperId),
    project_no: orNull(f.projectNo),
    field: f.field ? specKey(f.field) : null,
    value,
    expected,
    related: f.related ?? [],
    code: f.code ?? null,
    fingerprint: f.fingerprint,
  };
}

export async function writeFindingsJsonl(path: string, findings: readonly ResolvedFinding[]): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  for (const f of findings) {
    if (!out.write(JSON.stringify(toRecord(f)) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
