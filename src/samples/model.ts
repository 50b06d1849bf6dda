// The synthetic township: households, members, helpers and resident cadres, generated
// deterministically from (seed, index), clean by construction unless a planted defect says
// otherwise. Everything here is plain data; generate.ts lays it out into export files.
import { Rng } from './prng.js';
import { ageAt, checkChar, isValidId18, makeId, pad, upgrade15, ymd8, type Ymd } from './idcard.js';
import {
  CADRE_REGIONS, CITY_UNITS, COUNTY_CODE, COUNTY_UNITS, ETHNICITIES, HELPER_REGIONS, MEMBER_REGIONS, POSITIONS,
  TOWN_UNITS, TOWNSHIP_CODE, givenName, personName, surname,
} from './names.js';

/** Planted household-level defects (one household each; PAIR-07 takes three). */
export type Defect =
  | 'ID-01/empty' | 'ID-01/placeholder' | 'ID-02/format' | 'ID-02/legacy15' | 'ID-03' | 'ID-04'
  | 'ID-05/province' | 'ID-05/county' | 'ID-06' | 'ID-07' | 'ID-08/a' | 'ID-08/b' | 'ID-09' | 'ID-10'
  | 'BASE-01' | 'BASE-02' | 'BASE-03' | 'BASE-04' | 'BASE-05' | 'BASE-06' | 'BASE-07' | 'BASE-08' | 'BASE-09'
  | 'BASE-10' | 'BASE-11' | 'BASE-12' | 'BASE-13'
  | 'PAIR-01' | 'PAIR-02' | 'PAIR-03' | 'PAIR-05' | 'PAIR-06' | 'PAIR-07/1' | 'PAIR-07/2' | 'PAIR-07/3' | 'PAIR-09'
  | 'BENE-01' | 'BENE-02' | 'BENE-03';

export const HOUSEHOLD_DEFECTS: readonly Defect[] = [
  'ID-01/empty', 'ID-01/placeholder', 'ID-02/format', 'ID-02/legacy15', 'ID-03', 'ID-04', 'ID-05/province',
  'ID-05/county', 'ID-06', 'ID-07', 'ID-08/a', 'ID-08/b', 'ID-09', 'ID-10',
  'BASE-01', 'BASE-02', 'BASE-03', 'BASE-04', 'BASE-05', 'BASE-06', 'BASE-07', 'BASE-08', 'BASE-09', 'BASE-10',
  'BASE-11', 'BASE-12', 'BASE-13',
  'PAIR-01', 'PAIR-02', 'PAIR-03', 'PAIR-05', 'PAIR-06', 'PAIR-07/1', 'PAIR-07/2', 'PAIR-07/3', 'PAIR-09',
  'BENE-01', 'BENE-02', 'BENE-03',
];

export interface Person {
  name: string;
  male: boolean; // gender encoded in the ID
  genderCol: '男' | '女'; // what the 性别 column says
  birth: Ymd;
  birthCol: Ymd | null; // 出生日期 column (null: empty)
  ageCol: number | null; // 年龄 column
  age: number; // true age at as-of
  id: string; // ID as written (text), '' when missing
  idForm: 'plain' | 'lowerX' | 'fullwidth' | 'spaces' | 'numeric';
  idType?: string; // 残疾人证 …; absent = 居民身份证
  relation: string; // canonical label
  ethnicity: string;
  education: string;
  school: string;
  health: string[];
  labor: string;
  work: string;
  months: number;
}

export interface Incomes {
  wage: number;
  business: number;
  property: number;
  transfer: number;
  expense: number;
  net: number;
  perCapita: number;
}

export interface Pairing {
  helper: Helper;
  start: Ymd | null;
  end: Ymd | null;
}

export interface Household {
  index: number;
  village: number;
  no: string;
  members: Person[];
  size: number; // 家庭人口数 as written
  attribute: string;
  cause: string;
  identified: Ymd;
  identifiedPrecision: 'd' | 'm' | 'y';
  status: string; // label as written
  exited: boolean;
  exitYear: number | null;
  inc: Incomes;
  ok: { food: boolean; edu: boolean; med: boolean; housing: boolean; water: boolean; elec: boolean; tv: boolean };
  phone: string;
  pairings: Pairing[];
  defect?: Defect;
  /** a working member exists (BENE-02) */
  working: boolean;
}

export interface Helper {
  key: string;
  name: string;
  male: boolean;
  id: string;
  phone: string;
  unit: string;
  unitLevel: string;
  rank: string;
  position: string;
}

export interface Cadre {
  village: number;
  name: string;
  male: boolean;
  id: string;
  role: string;
  dispatchUnit: string;
  start: Ymd | null;
  end: Ymd | null;
  phone: string;
}

const POVERTY_LINE: Record<number, number> = { 2013: 2736, 2014: 2800, 2015: 2855, 2016: 2952, 2017: 2952, 2018: 2995, 2019: 3218, 2020: 4000 };

/** A bijection idx → 8 digits (unique phones without bookkeeping). */
function digits8(idx: number, salt: number): string {
  return pad((idx * 7919 + salt) % 100_000_000, 8);
}

/** Structurally unique ID from an index: the index picks the birth day and the sequence digits. */
function indexedId(idx: number, regions: readonly string[], male: boolean, yearFrom: number): { id: string; birth: Ymd } {
  const span = 10950; // ~30 years of days; 7919 is coprime with it, so idx → day is a bijection
  const dayOff = (idx * 7919) % span;
  const t = new Date(Date.UTC(yearFrom, 0, 1) + dayOff * 86_400_000);
  const birth = { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
  const seq = Math.floor(idx / span) % 100;
  return { id: makeId(regions[idx % regions.length]!, birth, seq, male, idx), birth };
}

export function makeHelper(seed: number, idx: number, key: string): Helper {
  const r = Rng.of(seed, 'helper', idx);
  const male = r.chance(0.7);
  const { id } = indexedId(idx, HELPER_REGIONS, male, 1962);
  const lv = r.next();
  let unitLevel: string, unit: string, rank: string;
  if (lv < 0.7) {
    unitLevel = '县';
    unit = r.pick(COUNTY_UNITS);
    rank = r.pick(['科员级', '科员级', '乡科级副职', '乡科级正职', '办事员级']);
  } else if (lv < 0.9) {
    unitLevel = '镇';
    unit = r.pick(TOWN_UNITS);
    rank = r.pick(['科员级', '办事员级', '乡科级副职']);
  } else {
    unitLevel = '市';
    unit = r.pick(CITY_UNITS);
    rank = r.pick(['科员级', '乡科级正职', '县处级副职']);
  }
  return { key, name: personName(r, male), male, id, phone: '139' + digits8(idx, 13579), unit, unitLevel, rank, position: r.pick(POSITIONS) };
}

export function makeCadre(seed: number, idx: number, village: number, role: string, start: Ymd | null, end: Ymd | null): Cadre {
  const r = Rng.of(seed, 'cadre', idx);
  const male = r.chance(0.75);
  const { id } = indexedId(idx, CADRE_REGIONS, male, 1965);
  return {
    village, name: personName(r, male), male, id, role,
    dispatchUnit: r.pick([...COUNTY_UNITS, ...CITY_UNITS]), start, end, phone: '137' + digits8(idx, 24680),
  };
}

interface Slot {
  rel: string;
  age: number;
  male: boolean;
}

export interface HouseholdCtx {
  seed: number;
  asOf: Ymd;
  usedIds: Set<string>;
  /** helper serving a household by default (two households per helper) */
  regularHelper(i: number): Helper;
  /** former helper of a household with a pairing history */
  formerHelper(i: number): Helper;
  special(key: string): Helper;
  /** person copied into an ID-08 second household */
  dupPerson?: Person;
}

function birthForAge(r: Rng, age: number, asOf: Ymd): Ymd {
  // a birthday strictly inside the year before as-of keeps the age exact
  for (;;) {
    const m = r.int(1, 12);
    const d = r.int(1, 28);
    const b = { y: asOf.y - age, m, d };
    if (ageAt(b, asOf) === age) return b;
    const b2 = { y: asOf.y - age - 1, m, d };
    if (ageAt(b2, asOf) === age) return b2;
  }
}

function newMemberId(ctx: HouseholdCtx, r: Rng, birth: Ymd, male: boolean): string {
  for (;;) {
    const id = makeId(r.pick(MEMBER_REGIONS), birth, r.int(0, 99), male, r.int(0, 4));
    if (!ctx.usedIds.has(id)) {
      ctx.usedIds.add(id);
      return id;
    }
  }
}

const GRADES = ['一', '二', '三', '四', '五', '六'];

/** Schooling, education, labour and work consistent with age (BASE-08/09/10 clean). */
function fillAttributes(p: Person, r: Rng): void {
  const a = p.age;
  p.work = '无';
  p.months = 0;
  p.education = '';
  if (a < 3) {
    p.school = '';
    p.education = '学龄前儿童';
    p.labor = '无劳动力';
  } else if (a <= 5) {
    p.school = '学前教育';
    p.education = '学龄前儿童';
    p.labor = '无劳动力';
  } else if (a <= 11) {
    p.school = r.chance(0.5) ? `小学${GRADES[Math.min(5, Math.max(0, a - 6))]}年级` : '小学';
    p.labor = '无劳动力';
  } else if (a <= 14) {
    p.school = ['七年级', '八年级', '九年级'][Math.min(2, a - 12)]!;
    p.labor = '无劳动力';
  } else if (a <= 17) {
    const g = GRADES[Math.min(2, a - 15)]!;
    p.school = r.chance(0.7) ? `普通高中${g}年级` : `中职${g}年级`;
    p.labor = '无劳动力';
  } else if (a <= 21 && r.chance(0.4)) {
    p.school = `本科${GRADES[Math.min(3, a - 18)]}年级`;
    p.labor = '无劳动力';
  } else if (a < 65) {
    p.school = a <= 30 ? '非在校生' : '';
    p.education = r.pick(['小学', '初中', '初中', '初中', '高中']);
    p.labor = r.chance(0.8) ? '普通劳动力' : '技能劳动力';
    if (a <= 60 && r.chance(0.55)) {
      p.work = r.pick(['乡(镇)内务工', '乡(镇)外县内务工', '县外省内务工', '省外务工']);
      p.months = r.int(3, 12);
    }
  } else {
    p.school = '';
    p.education = r.pick(['文盲或半文盲', '小学', '小学']);
    p.labor = r.chance(0.6) ? '弱劳动力或半劳动力' : '丧失劳动力';
  }
  // health: chronic illness among the old, some disability, multi-select in any order
  p.health = ['健康'];
  if (a >= 65 && r.chance(0.35)) p.health = ['长期慢性病'];
  else if (a >= 18 && r.chance(0.06)) p.health = ['长期慢性病'];
  if (a >= 18 && r.chance(0.05)) {
    p.health = p.health[0] === '长期慢性病' ? r.shuffle(['残疾', '长期慢性病']) : ['残疾'];
    if (p.labor === '普通劳动力' || p.labor === '技能劳动力') p.labor = '弱劳动力或半劳动力';
    if (p.work !== '无' && r.chance(0.5)) {
      p.work = '无';
      p.months = 0;
    }
  }
}

function randomShape(r: Rng): Slot[] {
  const headAge = r.int(28, 80);
  const headMale = r.chance(0.85);
  const slots: Slot[] = [{ rel: '户主', age: headAge, male: headMale }];
  if (headAge < 78 && r.chance(0.8)) slots.push({ rel: '配偶', age: Math.max(20, headAge + r.int(-5, 3)), male: !headMale });
  if (headAge <= 55) {
    const kids = r.int(0, 3);
    for (let k = 0; k < kids; k++) {
      const male = r.chance(0.5);
      slots.push({ rel: male ? '之子' : '之女', age: r.int(0, Math.max(0, headAge - 23)), male });
    }
    if (headAge < 50 && r.chance(0.3)) slots.push({ rel: '之母', age: Math.min(95, headAge + r.int(24, 30)), male: false });
  } else if (r.chance(0.6)) {
    const sonAge = r.int(25, Math.min(45, headAge - 22));
    slots.push({ rel: '之子', age: sonAge, male: true });
    if (r.chance(0.6)) slots.push({ rel: '之儿媳', age: sonAge + r.int(-3, 2), male: false });
    if (r.chance(0.6)) {
      const male = r.chance(0.5);
      slots.push({ rel: male ? '之孙子' : '之孙女', age: r.int(0, Math.max(0, sonAge - 22)), male });
    }
  }
  return slots;
}

function plantedShape(d: Defect | undefined): Slot[] | undefined {
  const couple = (h: number): Slot[] => [
    { rel: '户主', age: h, male: true },
    { rel: '配偶', age: h - 2, male: false },
  ];
  switch (d) {
    case undefined:
      return undefined;
    case 'ID-06':
      return [{ rel: '户主', age: 67, male: true }];
    case 'BASE-08':
      return [...couple(38), { rel: '之子', age: 9, male: true }];
    case 'BASE-09':
      return [...couple(40), { rel: '之女', age: 12, male: false }];
    case 'BASE-03':
      return [...couple(62), { rel: '户主', age: 33, male: true }, { rel: '之儿媳', age: 31, male: false }];
    case 'BASE-12':
      return [...couple(45), { rel: '之子', age: 16, male: false }];
    case 'BENE-02':
      return couple(70);
    case 'ID-08/a':
    case 'ID-08/b':
      return [...couple(46), { rel: '之母', age: 72, male: false }];
    default:
      return [...couple(46), { rel: '之子', age: 20, male: true }, { rel: '之女', age: 13, male: false }];
  }
}

function chooseCause(r: Rng, members: Person[]): string {
  const c = ['缺技术', '缺资金', '缺劳力', '缺土地', '交通条件落后', '自身发展动力不足', '因灾', '缺水', '缺技术', '缺资金'];
  if (members.some((p) => p.health.includes('长期慢性病') || p.health.includes('患有大病'))) c.push('因病', '因病', '因病');
  if (members.some((p) => p.health.includes('残疾'))) c.push('因残', '因残', '因残');
  if (members.some((p) => inSchool(p.school))) c.push('因学', '因学');
  return r.pick(c);
}

export function inSchool(s: string): boolean {
  return s !== '' && s !== '非在校生' && s !== '学龄前儿童';
}

export function computeIncomes(n: number, wage: number, business: number, property: number, transfer: number, expense: number, sizeForPc = n): Incomes {
  const net = wage + business + property + transfer - expense;
  return { wage, business, property, transfer, expense, net, perCapita: Math.round((net / sizeForPc) * 100) / 100 };
}

export function povertyLine(y: number): number {
  return POVERTY_LINE[y] ?? 4000;
}

/** Build household i of the township: clean unless `defect` is set. */
export function buildHousehold(ctx: HouseholdCtx, i: number, village: number, seqInVillage: number, defect?: Defect): Household {
  const r = Rng.of(ctx.seed, 'household', i);
  const asOf = ctx.asOf;
  const slots = plantedShape(defect) ?? randomShape(r);
  const members = drawMembers(ctx, r, slots, defect);

  // household level
  const identY = r.pick([2014, 2014, 2014, 2015, 2016]);
  const identified: Ymd = { y: identY, m: r.int(1, 12), d: r.int(1, 28) };
  const form = i % 8;
  const identifiedPrecision: 'd' | 'm' | 'y' = form === 6 ? 'm' : form === 7 ? 'y' : 'd';
  const exited = r.chance(0.82);
  const lastYear = Math.min(2019, asOf.y - 1);
  const exitYear: number | null = exited ? r.int(Math.max(identY, 2015), lastYear) : null;

  const n = members.length;
  const wage = n * r.int(3500, 9000);
  const business = n * r.int(0, 2000);
  const property = r.int(0, 500);
  const transfer = n * r.int(300, 1500);
  const expense = Math.round(business * (0.2 + r.next() * 0.3));
  const inc = computeIncomes(n, wage, business, property, transfer, expense);
  const ok = { food: true, edu: true, med: true, housing: true, water: true, elec: true, tv: true };
  const phone = r.pick(['138', '135', '150', '158', '187', '152']) + pad(r.int(0, 99_999_999), 8);
  const no = COUNTY_CODE + TOWNSHIP_CODE + pad(village + 1, 2) + pad(seqInVillage + 1, 4);

  const h: Household = {
    index: i, village, no, members, size: n, attribute: '', cause: '', identified, identifiedPrecision,
    status: '', exited, exitYear, inc, ok, phone, pairings: [], defect, working: false,
  };

  plantMemberDefect(ctx, r, members, defect);
  if (defect === 'BENE-02') for (const p of members) { p.work = '无'; p.months = 0; }

  // the cause follows the members (BASE-13 clean), then household-level defects
  h.cause = chooseCause(r, members);
  h.working = members.some((p) => (p.work !== '无' && p.work !== '') || p.months > 0);

  plantHouseholdDefect(h, defect);
  if (h.exited && h.exitYear !== null && h.exitYear < identified.y) h.exitYear = identified.y;
  // per-capita income clears the line of the exit year by construction (min 3,800 > 3,218)
  h.status = h.exited ? r.pick(['已脱贫', '已脱贫', '脱贫户']) : r.pick(['未脱贫', '贫困户']);
  h.attribute = h.exited ? r.pick(['一般脱贫户', '一般脱贫户', '低保脱贫户']) : r.pick(['一般贫困户', '一般贫困户', '低保贫困户']);

  drawPairings(ctx, r, h, i, defect);
  return h;
}

/** The members of a household, in slot order (户主 first), with their attributes and how their IDs were typed. */
function drawMembers(ctx: HouseholdCtx, r: Rng, slots: readonly Slot[], defect: Defect | undefined): Person[] {
  const asOf = ctx.asOf;
  const sur = surname(r);
  const members: Person[] = slots.map((s) => {
    const birth = birthForAge(r, s.age, asOf);
    const p: Person = {
      name: (s.rel === '配偶' || s.rel === '之儿媳' || s.rel === '之母' ? surname(r) : sur) + givenName(r, s.male),
      male: s.male,
      genderCol: s.male ? '男' : '女',
      birth,
      birthCol: birth,
      ageCol: s.age,
      age: s.age,
      id: newMemberId(ctx, r, birth, s.male),
      idForm: 'plain',
      relation: s.rel,
      ethnicity: r.pick(ETHNICITIES),
      education: '', school: '', health: ['健康'], labor: '', work: '无', months: 0,
    };
    fillAttributes(p, r);
    if (!defect) {
      // quirks of how IDs were typed (text cells only; numeric cells are planted defects)
      const q = r.next();
      if (p.id.endsWith('X') && q < 0.5) p.idForm = 'lowerX';
      else if (q < 0.05) p.idForm = 'fullwidth';
      else if (q < 0.1) p.idForm = 'spaces';
    }
    return p;
  });
  // a 残疾人证 number for some disabled adults: the 18-digit ID + category (1–7) + grade (1–4)
  for (const p of members) {
    if (!defect && p.health.includes('残疾') && p.relation !== '户主' && r.chance(0.5)) {
      p.idType = '残疾人证';
      p.id = p.id + String(r.int(1, 7)) + String(r.int(1, 4));
      p.idForm = 'plain';
    }
  }

  return members;
}

/** A planted defect of a member's ID, name, gender, birth or attributes (on the second member unless it needs the head). */
function plantMemberDefect(ctx: HouseholdCtx, r: Rng, members: Person[], defect: Defect | undefined): void {
  const head = members[0]!;
  const target = members[1] ?? head;
  const reId = (region: string, birthPart: string): string => {
    for (let s = 0; ; s++) {
      const first17 = region + birthPart + pad((r.int(0, 99) + s) % 100, 2) + String((r.int(0, 4) * 2) + (target.male ? 1 : 0));
      const id = first17 + checkChar(first17);
      if (!ctx.usedIds.has(id)) {
        ctx.usedIds.add(id);
        return id;
      }
    }
  };
  switch (defect) {
    case 'ID-01/empty':
      target.id = '';
      break;
    case 'ID-01/placeholder':
      target.id = '999999' + target.id.slice(6);
      break;
    case 'ID-02/format':
      target.id = target.id.slice(0, 10) + target.id.slice(11); // one digit dropped: 17 characters
      break;
    case 'ID-02/legacy15': {
      const b = target.birth;
      const id15 = COUNTY_CODE + ymd8(b).slice(2) + pad(r.int(10, 99), 2) + String(target.male ? 1 : 2);
      ctx.usedIds.add(upgrade15(id15));
      target.id = id15;
      break;
    }
    case 'ID-03': {
      const c = target.id[17]!;
      target.id = target.id.slice(0, 17) + (c === '0' ? '1' : c === 'X' ? '0' : String((Number(c) + 1) % 10));
      break;
    }
    case 'ID-04':
      target.id = reId(COUNTY_CODE, `${target.birth.y}0230`);
      target.birthCol = null;
      target.ageCol = null;
      break;
    case 'ID-05/province':
      target.id = reId('100524', ymd8(target.birth));
      break;
    case 'ID-05/county':
      target.id = reId('439901', ymd8(target.birth));
      break;
    case 'ID-06':
      head.genderCol = head.male ? '女' : '男';
      break;
    case 'ID-07':
      target.birthCol = { ...target.birth, y: target.birth.y - 2 };
      break;
    case 'ID-08/a':
      ctx.dupPerson = members[2];
      break;
    case 'ID-08/b':
      if (ctx.dupPerson) members[2] = { ...ctx.dupPerson, idForm: 'plain' };
      break;
    case 'ID-09':
      target.name = target.name + '2';
      break;
    case 'ID-10': {
      // a number stored in a numeric cell loses its last digits; pick one whose damage spares
      // the region, birth and gender digits (so only ID-10 applies) and breaks the check digit
      for (let s = 0; s < 1000; s++) {
        const first17 = COUNTY_CODE + ymd8(target.birth) + pad(s % 100, 2) + String(((s >> 7) % 5) * 2 + (target.male ? 1 : 0));
        const id = first17 + checkChar(first17);
        if (id.endsWith('X') || ctx.usedIds.has(id)) continue;
        const asNum = Number(id);
        const a = String(asNum);
        const b = BigInt(asNum).toString();
        if (a.slice(0, 17) === first17 && b.slice(0, 17) === first17 && !isValidId18(a) && !isValidId18(b) && a !== id && b !== id) {
          ctx.usedIds.add(id);
          target.id = id;
          target.idForm = 'numeric';
          break;
        }
      }
      if (target.idForm !== 'numeric') throw new Error('ID-10: no damaged number found');
      break;
    }
    case 'BASE-08':
      members[2]!.school = '非在校生';
      members[2]!.education = '小学';
      break;
    case 'BASE-09':
      members[2]!.labor = '普通劳动力';
      break;
    case 'BASE-10':
      head.work = '县外省内务工';
      head.months = 0;
      head.labor = '普通劳动力';
      head.health = ['健康'];
      break;
    case 'BASE-13':
    case 'BENE-02':
      for (const p of members) p.health = ['健康'];
      break;
    default:
      break;
  }
}

/** A planted defect of the household's own fields: cause, incomes, size, exit, identification date. */
function plantHouseholdDefect(h: Household, defect: Defect | undefined): void {
  const forceExited = (y: number | null): void => {
    h.exited = true;
    h.exitYear = y;
  };
  const forceUnexited = (): void => {
    h.exited = false;
    h.exitYear = null;
  };
  const n = h.members.length;
  const identified = h.identified;
  const ok = h.ok;
  const inc = h.inc;
  switch (defect) {
    case 'BASE-01':
      h.cause = '';
      break;
    case 'BASE-02':
      h.inc = computeIncomes(n, inc.wage, inc.business, -300, inc.transfer, inc.expense);
      break;
    case 'BASE-04':
      h.size = n + 1;
      h.inc = computeIncomes(n, 6000 * (n + 1), inc.business, inc.property, inc.transfer, inc.expense, n + 1);
      break;
    case 'BASE-05':
      forceExited(null);
      break;
    case 'BASE-06':
      forceExited(2018);
      identified.y = 2014;
      h.inc = computeIncomes(n, 2000 * n, 0, 0, 800 * n, 0); // 2,800 < 2,995 (2018)
      break;
    case 'BASE-07':
      forceExited(2019);
      ok.housing = false;
      break;
    case 'BASE-11':
      h.inc = { ...inc, net: inc.net + 3000, perCapita: Math.round(((inc.net + 3000) / n) * 100) / 100 };
      break;
    case 'BASE-13':
      h.cause = '因病';
      break;
    case 'BENE-02':
      h.cause = '缺劳力';
      break;
    case 'BASE-08':
    case 'BASE-09':
      h.cause = '缺资金';
      break;
    case 'PAIR-01':
    case 'BENE-01':
    case 'BENE-03':
      forceUnexited();
      if (defect === 'BENE-01') ok.housing = false;
      if (defect === 'BENE-03') ok.med = false;
      break;
    case 'PAIR-02':
    case 'PAIR-03':
      forceExited(2019);
      identified.y = 2014;
      break;
    case 'PAIR-06':
      identified.y = 2015;
      identified.m = 3;
      identified.d = 1;
      if (h.exitYear !== null && h.exitYear < 2015) h.exitYear = 2015;
      break;
    case 'PAIR-09':
      identified.y = 2014;
      break;
    default:
      break;
  }
}

/** Pairings: one active helper; some households had a former helper (no gap); planted pairing defects. */
function drawPairings(ctx: HouseholdCtx, r: Rng, h: Household, i: number, defect: Defect | undefined): void {
  const asOf = ctx.asOf;
  const identified = h.identified;
  const startAfterIdent = (): Ymd => ({ y: r.int(identified.y + 1, Math.min(2019, asOf.y - 1)), m: r.int(1, 12), d: r.int(1, 28) });
  switch (defect) {
    case 'PAIR-01':
      break;
    case 'PAIR-02':
      h.pairings.push({ helper: ctx.special('PAIR-02'), start: null, end: null });
      break;
    case 'PAIR-03':
      h.pairings.push({ helper: ctx.special('PAIR-03'), start: { y: 2016, m: 3, d: 1 }, end: { y: 2017, m: 12, d: 31 } });
      h.pairings.push({ helper: ctx.regularHelper(i), start: { y: 2018, m: 3, d: 1 }, end: null });
      break;
    case 'PAIR-06':
      h.pairings.push({ helper: ctx.regularHelper(i), start: { y: 2014, m: 6, d: 1 }, end: null });
      break;
    case 'PAIR-07/1':
    case 'PAIR-07/2':
    case 'PAIR-07/3':
      h.pairings.push({ helper: ctx.special('PAIR-07'), start: { y: 2018, m: 1, d: 1 }, end: null });
      break;
    case 'PAIR-09':
      h.pairings.push({ helper: ctx.regularHelper(i), start: { y: 2017, m: 3, d: 1 }, end: null });
      h.pairings.push({ helper: ctx.regularHelper(i), start: { y: 2018, m: 1, d: 1 }, end: { y: 2019, m: 12, d: 31 } });
      break;
    default:
      if (identified.y <= 2015 && !defect && r.chance(0.2)) {
        h.pairings.push({ helper: ctx.formerHelper(i), start: { y: identified.y + 1, m: r.int(1, 12), d: 1 }, end: { y: 2018, m: 6, d: 30 } });
        h.pairings.push({ helper: ctx.regularHelper(i), start: { y: 2018, m: 7, d: 1 }, end: null });
      } else {
        h.pairings.push({ helper: ctx.regularHelper(i), start: startAfterIdent(), end: null });
      }
  }
}
