// Code dialects of a coded column. 与户主关系 written as codes comes in two dialects that share
// most codes with different meanings: the national 扶贫 system's list (01 户主, 02 配偶, 03 之子 …)
// and GB/T 4761 (01 本人, 02 户主, 10–12 配偶, 20–29 子 …). One code alone cannot tell them apart;
// a column can: it is decided from all its values, per household where the sheet has households.
import type { NormalRow } from '../model.js';
import { RELATION_CODES_GBT, RELATION_CODES_NATIONAL } from './dictionaries.js';

import type { RelationDialect } from '../core/cells.js';
export type { RelationDialect };

export const RELATION_DIALECTS: readonly RelationDialect[] = ['national', 'gbt4761'];

/** Chinese name of a dialect (summary, inspect). */
export const DIALECT_ZH: Record<RelationDialect, string> = {
  national: '全国扶贫开发信息系统代码（01户主 02配偶 03之子 04之女…）',
  gbt4761: 'GB/T 4761 家庭关系代码（02户主 10–12配偶 20–29子 30–39女…）',
};

const DIGITS = /^\d{1,2}$/;
const WHOLE_FLOAT = /^(\d{1,2})\.0+$/;

/** A relation cell written as a code: its two-digit form (`1`, `01`, `1.0` → `01`), else undefined. */
export function relationCode(cell: unknown): string | undefined {
  let t: string;
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 0 || cell > 99) return undefined;
    t = String(cell);
  } else if (typeof cell === 'string') {
    t = cell.trim().replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    const f = WHOLE_FLOAT.exec(t);
    if (f) t = f[1]!;
    if (!DIGITS.test(t)) return undefined;
  } else return undefined;
  return t.padStart(2, '0');
}

/** One coded value of the column and the household it belongs to (undefined: no household key). */
export interface CodeObservation {
  household: string | undefined;
  code: string;
}

export interface DialectDecision {
  dialect: RelationDialect;
  /** why, in Chinese (shown in summary.json and by inspect) */
  reason: string;
}

/**
 * Decide a 与户主关系 column's dialect from all its coded values.
 * - a code only one list defines settles it (03–09 exist only in the national list; 28–98 only
 *   in GB/T 4761);
 * - else the head: every household has exactly one head, so the code that occurs once in (nearly)
 *   every household is the head's code — 01 national, 02 GB/T ('02' once per household and '01'
 *   never → GB/T; '01' once per household → national);
 * - a tie keeps GB/T 4761 (the standard, and what earlier versions of this tool assumed).
 */
export function decideRelationDialect(obs: readonly CodeObservation[]): DialectDecision {
  let nationalOnly = 0;
  let gbtOnly = 0;
  const perHousehold = new Map<string, Map<string, number>>();
  let loose01 = 0;
  let loose02 = 0;
  for (const o of obs) {
    const inNat = o.code in RELATION_CODES_NATIONAL;
    const inGbt = o.code in RELATION_CODES_GBT;
    if (inNat && !inGbt) nationalOnly++;
    else if (inGbt && !inNat) gbtOnly++;
    if (o.household === undefined) {
      if (o.code === '01') loose01++;
      if (o.code === '02') loose02++;
      continue;
    }
    let m = perHousehold.get(o.household);
    if (!m) perHousehold.set(o.household, (m = new Map()));
    m.set(o.code, (m.get(o.code) ?? 0) + 1);
  }
  if (nationalOnly > 0 && gbtOnly === 0) return { dialect: 'national', reason: `${nationalOnly} 个值只在全国系统代码中有定义` };
  if (gbtOnly > 0 && nationalOnly === 0) return { dialect: 'gbt4761', reason: `${gbtOnly} 个值只在 GB/T 4761 中有定义` };
  let head01 = 0;
  let head02 = 0;
  for (const m of perHousehold.values()) {
    const c01 = m.get('01') ?? 0;
    const c02 = m.get('02') ?? 0;
    if (c01 === 1) head01++;
    if (c02 === 1 && c01 === 0) head02++;
  }
  head01 += loose01 > loose02 ? 1 : 0;
  head02 += loose02 > loose01 ? 1 : 0;
  if (perHousehold.size === 0) {
    if (loose01 > loose02) return { dialect: 'national', reason: `无户编号：01 出现 ${loose01} 次，多于 02（${loose02} 次）` };
    return { dialect: 'gbt4761', reason: `无户编号：02 出现 ${loose02} 次，01 出现 ${loose01} 次` };
  }
  if (head01 > head02) return { dialect: 'national', reason: `${head01} 户中 01 恰好出现一次（户主），02 作户主的 ${head02} 户` };
  if (head02 > head01) return { dialect: 'gbt4761', reason: `${head02} 户中 02 恰好出现一次且没有 01（户主），01 作户主的 ${head01} 户` };
  if (nationalOnly > gbtOnly) return { dialect: 'national', reason: `只在全国系统代码中有定义的值较多（${nationalOnly} 对 ${gbtOnly}）` };
  return { dialect: 'gbt4761', reason: '无法区分，按 GB/T 4761' };
}

/** The SPEC label of a code in a dialect, undefined when the dialect does not define it. */
export function relationLabel(dialect: RelationDialect, code: string): string | undefined {
  return (dialect === 'national' ? RELATION_CODES_NATIONAL : RELATION_CODES_GBT)[code];
}

/**
 * Relabel the coded 与户主关系 cells of a column in its dialect: a code the dialect defines becomes
 * its label (an earlier "unreadable" is withdrawn), a code it does not define is unreadable.
 */
export function applyRelationDialect(coded: readonly { row: NormalRow; code: string }[], dialect: RelationDialect): void {
  for (const { row, code } of coded) {
    const v = row.v as Record<string, unknown>;
    const label = relationLabel(dialect, code);
    if (label !== undefined) {
      v['relation'] = label;
      if (row.bad && 'relation' in row.bad) {
        delete (row.bad as Record<string, unknown>)['relation'];
        if (Object.keys(row.bad).length === 0) delete row.bad;
      }
    } else {
      delete v['relation'];
      (row.bad ??= {})['relation'] = code;
    }
  }
}
