// PAIR-05: a helper (or resident cadre) whose ID number is also a registered household member's —
// helping oneself, or a poor household's member serving as a helper.
import { defineRule } from '../../src/engine/rule.js';
import type { Loc } from '../../src/model.js';
import type { MemberValues, PairingValues } from '../../src/schema/rows.js';
import { regionOf } from '../../src/core/values.js';
import { placeText } from '../../src/core/place.js';
import { createRowBuilder, idValue } from '../../src/engine/examples.js';
import { helperId, householdNo, msg, param } from '../../src/i18n/template.js';
import { idKey, idKeyIn, keyIsTextOrNone } from '../lib/pairing-index.js';
import { helperRecords } from '../lib/helper-records.js';
import { memberNumbers } from '../lib/member-numbers.js';

type Role = '帮扶责任人' | '驻村干部';

interface HelperSeen {
  id: string;
  name?: string;
  at: Loc;
  kind: Role;
}

interface MemberParams {
  role: Role;
  helperName?: string;
  memberName?: string;
}

/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const MEMBER_ID = '430524198001011233';
const memberRow = (id: string) =>
  row<MemberValues>('members', { village: '示例村', householdNo: 'H001', name: '张三', idNumber: idValue(id), relation: '户主' });
const pairingRow = (helper: string) =>
  row<PairingValues>('pairings', { village: '示例村', householdNo: 'H002', helperId: idValue(helper), helperName: '张三', startOn: { y: 2016, m: 3, d: 1 } });

export const PAIR_05 = defineRule({
  id: 'PAIR-05',
  family: 'PAIR',
  severity: 'error',
  title: '既是贫困户又是帮扶责任人',
  explain:
    '帮扶责任人（含第一书记、驻村工作队员）的证件号码同时出现在建档立卡家庭成员中，即“自己帮扶自己”或贫困户成员担任帮扶人。' +
    '请核实是证件号码录错，还是确需调整帮扶责任人。',
  reads: ['helpers', 'pairings', 'residencies'],
  uses: [helperRecords, memberNumbers],
  messages: {
    member: msg<MemberParams>`${param<MemberParams>('role', '身份', (r) => String(r ?? '帮扶责任人'))}${param<MemberParams>('helperName', '帮扶人姓名')}（${helperId}）同时是户编号 ${householdNo} 的家庭成员${param<MemberParams>(
      'memberName',
      '成员姓名',
      (n) => (n ? String(n) : '家庭成员'),
    )}：既是贫困户又是帮扶责任人`,
  },
  cross(ix, emit, ctx) {
    if (ix.members.length === 0) return;
    const helpers = new Map<string, HelperSeen>();
    // The helper records hold every helper row, pairing row and residency row by normalised ID, in
    // reading order: a record's first source is the first row naming that number, so walking the
    // records (one per person) gives each join key its first row, as walking every row would.
    // Damaged numbers never match (idKey gives ''): on either side they would pair unrelated people.
    for (const rec of ctx.use(helperRecords).byId.values()) {
      const src = rec.sources[0]!;
      const key = idKey(src.id);
      // a 15-digit number and its 18-digit form are two records and one key: the first one read
      if (!key || helpers.has(key)) continue;
      const h: HelperSeen = { id: src.id!.text, at: src.row.at, kind: src.kind === 'residency' ? '驻村干部' : '帮扶责任人' };
      if (src.name) h.name = src.name;
      helpers.set(key, h);
    }
    if (helpers.size === 0) return;
    const { texts } = ctx.use(memberNumbers);
    for (let i = 0; i < texts.length; i++) {
      // a row whose text is no helper's and not 15 long cannot match (the full key only for the rest)
      const text = texts[i];
      if (text === undefined || (keyIsTextOrNone(text) && !helpers.has(text))) continue;
      const m = ix.members[i]!;
      const key = idKeyIn(m.v.idNumber, helpers);
      if (!key) continue;
      const h = helpers.get(key)!;
      const params: MemberParams = { role: h.kind };
      if (h.name) params.helperName = h.name;
      if (m.v.name) params.memberName = m.v.name;
      emit({
        at: m.at,
        region: regionOf(m.v),
        table: 'members',
        helperId: h.id,
        idNumber: m.v.idNumber!.text,
        ...(m.v.householdNo ? { householdNo: m.v.householdNo } : {}),
        code: 'member',
        field: 'idNumber',
        value: m.v.idNumber!.text,
        related: [placeText({ at: h.at })],
        params,
      });
    }
  },
  examples: {
    valid: [{ note: '帮扶责任人的证件号码不在家庭成员中', rows: [memberRow(MEMBER_ID), pairingRow('430524197503023459')] }],
    invalid: [{ note: '户H001的户主张三同时是户H002的帮扶责任人', rows: [memberRow(MEMBER_ID), pairingRow(MEMBER_ID)], codes: ['member'] }],
  },
});
