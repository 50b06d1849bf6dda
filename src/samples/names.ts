// Realistic names and places for the synthetic export (隆回县, 邵阳市, 湖南省).
import type { Rng } from './prng.js';

export const COUNTY = '隆回县';
export const COUNTY_CODE = '430524';
export const TOWNSHIP = '司门前镇';
export const TOWNSHIP_CODE = '106';

/** Birth-place codes of members: mostly the county itself, some married in from neighbours. */
export const MEMBER_REGIONS = ['430524', '430524', '430524', '430524', '430524', '430522', '430523'];
/** Helpers are civil servants from elsewhere: codes never used by members (no accidental PAIR-05). */
export const HELPER_REGIONS = ['430502', '430503', '430511', '430521'];
/** Resident cadres (第一书记, 工作队): again disjoint codes. */
export const CADRE_REGIONS = ['430581', '430528'];

const SURNAMES = [
  '刘', '李', '王', '张', '陈', '罗', '周', '曾', '彭', '谢', '邓', '肖', '唐', '袁', '贺', '阳', '钟', '戴',
  '龙', '伍', '胡', '黄', '杨', '蒋', '申', '孙', '魏', '罗', '刘', '李', '王', '陈',
];
const MALE_CHARS = '建国华明军平伟强志勇德文海春福荣林生中清宝贵成军云松柏光辉新祥东';
const FEMALE_CHARS = '秀英桂兰玉梅凤芳春花红艳丽霞珍娟翠莲菊琴美芬燕金';

export function surname(r: Rng): string {
  return r.pick(SURNAMES);
}

export function givenName(r: Rng, male: boolean): string {
  const pool = male ? MALE_CHARS : FEMALE_CHARS;
  const n = r.chance(0.75) ? 2 : 1;
  let s = '';
  for (let i = 0; i < n; i++) s += pool[r.int(0, pool.length - 1)];
  return s;
}

export function personName(r: Rng, male: boolean, sur?: string): string {
  return (sur ?? surname(r)) + givenName(r, male);
}

const VILLAGE_ROOTS = [
  '大坪', '石门', '白竹', '江边', '新塘', '龙山', '太平', '金竹', '青山', '杉木',
  '高坪', '长岭', '桃花', '荷叶', '牛角', '月光', '黄泥', '水口', '枫树', '毛坪',
];
const VILLAGE_VARIANTS = ['', '新', '上', '下', '东', '西'];

export function villageName(v: number): string {
  const root = VILLAGE_ROOTS[v % VILLAGE_ROOTS.length]!;
  const variant = VILLAGE_VARIANTS[Math.floor(v / VILLAGE_ROOTS.length) % VILLAGE_VARIANTS.length]!;
  return root + variant + '村';
}

export const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '瑶族', '苗族'];

export const COUNTY_UNITS = [
  '隆回县财政局', '隆回县教育局', '隆回县卫生健康局', '隆回县农业农村局', '隆回县交通运输局', '隆回县人力资源和社会保障局',
  '隆回县水利局', '隆回县林业局', '隆回县住房和城乡建设局', '隆回县民政局', '隆回县审计局', '隆回县统计局',
];
export const TOWN_UNITS = ['司门前镇人民政府', '司门前镇中心学校', '司门前镇卫生院', '司门前镇财政所'];
export const CITY_UNITS = ['邵阳市农业农村局', '邵阳市财政局', '邵阳市水利局'];
export const POSITIONS = ['科员', '副局长', '股长', '办公室主任', '干部', '副主任', '专干'];
