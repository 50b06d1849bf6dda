// PAIR-04: a poor village always has a first secretary or a resident work team in post, from the
// first cadre's arrival to the last one's departure (still in post: to as-of).
import { defineRule } from '../../src/engine/rule.js';
import type { Loc, Region } from '../../src/model.js';
import type { ResidencyRow, ResidencyValues, VillageValues } from '../../src/schema/rows.js';
import { regionOf } from '../../src/core/values.js';
import { createRowBuilder, idValue, partialDate } from '../../src/engine/examples.js';
import { msg, param, village } from '../../src/i18n/template.js';
import { clipGaps, gapsSorted, rangeText, spanOf } from '../lib/intervals.js';
import { gapParams, gapSchema, gapText, type GapParams } from './shared.js';

interface VillageCover {
  region: Region;
  rows: ResidencyRow[];
}

function villageKey(r: Region): string {
  return [r.county ?? '', r.township ?? '', r.village ?? ''].join('|');
}

/** Two places that may be the same village: no level written on both sides differs. */
function compatible(a: Region, b: Region): boolean {
  for (const k of ['province', 'city', 'county', 'township'] as const) {
    if (a[k] && b[k] && a[k] !== b[k]) return false;
  }
  return true;
}

const isPoorVillage = (v: VillageValues): boolean => v.isPoorVillage === true || (v.isPoorVillage === undefined && v.exitYear !== undefined);

/** Example rows (the catalogue test runs them through the engine). */
const row = createRowBuilder();
const place = { county: '示例县', township: '示例镇' };
const residencyRow = (villageName: string, id: string, start: string, end?: string) =>
  row<ResidencyValues>('residencies', {
    ...place,
    village: villageName,
    name: '王驻村',
    idNumber: idValue(id),
    role: '第一书记',
    dispatchUnit: '示例县农业农村局',
    startOn: partialDate(start),
    ...(end ? { endOn: partialDate(end) } : {}),
  });
const villageRow = (villageName: string, poor: boolean) => row<VillageValues>('villages', { ...place, village: villageName, isPoorVillage: poor });

export const PAIR_04 = defineRule({
  id: 'PAIR-04',
  family: 'PAIR',
  severity: 'error',
  title: '贫困村驻村帮扶中断',
  explain:
    '贫困村应始终有第一书记或驻村工作队在岗：从第一位驻村干部到岗起，到最后一位离岗（仍在岗的算到核查日），每一天都应至少有一人驻村。' +
    '有村级表时按“是否贫困村=是”的村检查（表中贫困村没有任何驻村记录也会列出），没有村级表时检查所有有驻村记录的村。' +
    '没有驻村开始时间的记录不计入（另见 HELPER-07）。请核对是否漏录了驻村干部或轮换日期填错。',
  params: gapSchema,
  reads: ['residencies'],
  messages: {
    none: msg`贫困村 ${village} 没有任何第一书记或驻村工作队记录`,
    no_residencies: msg<{ count: number }>`本次检查没有提供驻村工作队（第一书记）名单，${param('count', '贫困村数')} 个贫困村的驻村覆盖无法检查，请一并导出驻村工作队表`,
    gap: msg<GapParams>`贫困村 ${village} 的驻村帮扶${gapText}，期间没有第一书记或驻村工作队员在岗`,
  },
  cross(ix, emit, ctx) {
    if (!ix.tables.has('residencies')) return;
    const gapDays = ctx.params.pairGapDays ?? 0;
    const asOf = ctx.asOf.day;
    const covers = new Map<string, VillageCover>();
    const byName = new Map<string, VillageCover[]>();
    for (const r of ix.residencies) {
      const name = r.v.village;
      if (!name) continue;
      const key = villageKey(r.v);
      let c = covers.get(key);
      if (!c) {
        c = { region: regionOf(r.v), rows: [] };
        covers.set(key, c);
        const list = byName.get(name);
        if (list) list.push(c);
        else byName.set(name, [c]);
      }
      c.rows.push(r);
    }

    const check = (name: string, region: Region, rows: ResidencyRow[], fallbackAt: Loc, table: 'residencies' | 'villages'): void => {
      const withSpan: { start: number; end: number; row: ResidencyRow }[] = [];
      for (const r of rows) {
        const s = spanOf(r.v.startOn, r.v.endOn, asOf);
        if (s) withSpan.push({ start: s.start, end: s.end, row: r });
      }
      if (withSpan.length < 2) return;
      withSpan.sort((a, b) => a.start - b.start || a.end - b.end);
      const n = withSpan.length;
      const starts = Int32Array.from(withSpan, (x) => x.start);
      const ends = Int32Array.from(withSpan, (x) => x.end);
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      const gs = clipGaps(gapsSorted(starts, ends, idx, 0, n, gapDays), asOf);
      if (gs.length === 0) return;
      const after = withSpan.find((x) => x.start === gs[0]!.to + 1);
      emit({
        at: after?.row.at ?? fallbackAt,
        region,
        table,
        village: name,
        code: 'gap',
        field: 'startOn',
        value: rangeText(gs[0]!.from, gs[0]!.to),
        params: gapParams(gs, gapDays),
      });
    };

    const villageRows = ix.villages;
    if (ix.tables.has('villages') && villageRows.length > 0 && !ix.tables.has('residencies')) {
      // no residency list was given at all: absent, not empty — one note, not an error per village
      const poorRows = villageRows.filter((vr) => vr.v.village && isPoorVillage(vr.v));
      if (poorRows.length > 0) {
        const first = poorRows[0]!.at;
        emit({
          code: 'no_residencies',
          severity: 'info',
          table: 'villages',
          at: { file: first.file, ...(first.sheet !== undefined ? { sheet: first.sheet } : {}) },
          field: 'village',
          value: '',
          params: { count: poorRows.length },
        });
      }
    } else if (ix.tables.has('villages') && villageRows.length > 0) {
      const seen = new Set<string>();
      for (const vr of villageRows) {
        const name = vr.v.village;
        if (!name) continue;
        if (!isPoorVillage(vr.v)) continue;
        const key = villageKey(vr.v);
        if (seen.has(key)) continue;
        seen.add(key);
        const region = regionOf(vr.v);
        const matches = (byName.get(name) ?? []).filter((c) => compatible(c.region, region));
        const rows = matches.flatMap((c) => c.rows);
        if (rows.length === 0) {
          emit({ at: vr.at, region, table: 'villages', village: name, code: 'none', field: 'village', value: name });
          continue;
        }
        check(name, region, rows, vr.at, 'residencies');
      }
    } else {
      for (const c of covers.values()) check(c.region.village!, c.region, c.rows, c.rows[0]!.at, 'residencies');
    }
  },
  examples: {
    valid: [
      {
        note: '第一书记轮换：前一任2018-03-31离岗，下一任2018-04-01到岗',
        rows: [residencyRow('红星村', '430524198001011233', '2016-01-01', '2018-03-31'), residencyRow('红星村', '430524198502022344', '2018-04-01')],
      },
    ],
    invalid: [
      {
        note: '前一任2018-03-31离岗，下一任2018-06-01才到岗：期间无人驻村',
        rows: [residencyRow('红星村', '430524198001011233', '2016-01-01', '2018-03-31'), residencyRow('红星村', '430524198502022344', '2018-06-01')],
        codes: ['gap'],
      },
      {
        note: '村级表中的贫困村“青山村”没有任何驻村记录',
        rows: [villageRow('青山村', true), villageRow('红星村', false), residencyRow('红星村', '430524198001011233', '2016-01-01')],
        codes: ['none'],
      },
    ],
  },
});
