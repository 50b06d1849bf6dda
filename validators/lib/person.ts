// A person on a member row as the ID and BASE rules report them: the entity keys of SPEC §3.0
// (household number, name, ID number as read), and how a message names the person.
import type { Finding, IdValue } from '../../src/model.js';
import type { MemberRow } from '../../src/schema/rows.js';
import { regionOf } from '../../src/core/values.js';
import { msg, name, when } from '../../src/i18n/template.js';
import { checkDigit } from './idcard.js';

/** The ID number as read (entity key, SPEC §3.0): the cell text, else its normalised form. */
export function idAsRead(id: IdValue | undefined): string {
  return id ? id.raw || id.text : '';
}

/** What a finding about a record says before its problem: entity keys, place, region. */
export type FindingBase = Omit<Finding, 'rule' | 'code' | 'params'>;

/** Person-level entity keys and place of a member row (SPEC §3.0). */
export function personBase(row: MemberRow): FindingBase {
  const v = row.v;
  return {
    table: row.table,
    at: row.at,
    region: regionOf(v),
    householdNo: v.householdNo ?? '',
    name: v.name ?? '',
    idNumber: idAsRead(v.idNumber),
  };
}

/** “成员“张三”” in a message, “该成员” when the row has no name. */
export const member = when(name, msg`成员“${name}”`, msg`该成员`);

/** A valid resident ID number for examples: region + birth (YYYYMMDD) + sequence (odd last digit = 男) + check digit. */
export function exampleIdNumber(birth: string, seq = '123', region = '430524'): string {
  const s = region + birth + seq;
  return s + checkDigit(s);
}
