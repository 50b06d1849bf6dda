// Dictionaries of SPEC §2.1: canonical values exactly as the SPEC writes them, plus aliases,
// codes and patterns. Values are compared after normalizeText (trim, full→half width,
// Traditional → Simplified) with inner spaces removed, so Traditional forms need no entries.
import type { DictName } from '../schema/tables.js';
import { normalizeText } from './text.js';

export interface Dictionary {
  name: DictName;
  /** canonical values, in SPEC order */
  values: readonly string[];
  /** alias (any form; normalised at build time) → canonical value */
  aliases?: Readonly<Record<string, string>>;
  /** codes used by some exports instead of labels */
  codes?: Readonly<Record<string, string>>;
  /** numeric cells lose leading zeros: pad digit-only input to this width before looking up codes */
  codeWidth?: number;
  /** fallback for open-ended forms (小学三年级, 普通高中二年级 …), over the normalised text */
  match?: (s: string) => string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Canonical lists (validators use these)

export const GENDERS = ['男', '女'] as const;
export const ID_TYPES = ['居民身份证', '残疾人证', '军人证', '户口簿', '护照', '其他'] as const;
export const RELATIONS = [
  '户主', '配偶', '之子', '之女', '之儿媳', '之女婿', '之孙子', '之孙女', '之外孙子', '之外孙女',
  '之父', '之母', '之岳父', '之岳母', '之公公', '之婆婆', '之祖父', '之祖母', '之外祖父', '之外祖母',
  '之兄弟姐妹', '之兄弟媳妇', '之曾孙子', '之曾孙女', '之侄儿', '之侄女', '之叔伯', '其他',
] as const;
export const EDUCATIONS = ['文盲或半文盲', '小学', '初中', '高中', '大专', '大专及以上', '本科及以上', '学龄前儿童'] as const;
/** Canonical school levels (MemberValues.schoolStatus); the SPEC's grade forms map onto them. */
export const SCHOOL_LEVELS = [
  '学龄前儿童', '学前教育', '小学', '初中', '高中', '中职', '高职高专', '技师学院', '本科', '硕士研究生及以上', '非在校生',
] as const;
export const HEALTHS = ['健康', '长期慢性病', '患有大病', '残疾'] as const;
export const LABOR_SKILLS = ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力', '丧失劳动力', '无劳动力'] as const;
export const WORK_STATUSES = ['乡(镇)内务工', '乡(镇)外县内务工', '县外省内务工', '省外务工', '其他', '无'] as const;
export const POVERTY_ATTRIBUTES = [
  '一般贫困户', '低保贫困户', '特困供养贫困户', '一般脱贫户', '低保脱贫户', '特困供养脱贫户',
] as const;
export const MAIN_CAUSES = [
  '因病', '因残', '因学', '因灾', '缺土地', '缺水', '缺技术', '缺劳力', '缺资金', '交通条件落后', '自身发展动力不足',
] as const;
export const STATUSES = ['未脱贫', '已脱贫', '返贫', '脱贫不稳定户', '边缘易致贫户', '突发严重困难户', '监测对象'] as const;
/**
 * 防返贫监测 categories (2021 on): known statuses, summarised, outside the rules written for
 * 贫困户 (those skip them with one note per sheet).
 */
export const MONITORING_STATUSES: ReadonlySet<string> = new Set(['脱贫不稳定户', '边缘易致贫户', '突发严重困难户', '监测对象']);

/** A household's monitoring category (防返贫监测, 2021 on): its category column, else a monitoring status. */
export function monitoringLabel(v: { status?: string; monitoringType?: string }): string | undefined {
  return v.monitoringType ?? (v.status !== undefined && MONITORING_STATUSES.has(v.status) ? v.status : undefined);
}
export const RISK_STATUSES = ['风险已消除', '风险未消除'] as const;
export const MONITORING_TYPES = ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'] as const;
export const UNIT_LEVELS = ['中央', '省', '市', '区', '县', '街道', '镇', '乡', '居民委员会', '村民委员会', '军队', '其他'] as const;
export const RANKS = [
  '国家级正职', '国家级副职', '省部级正职', '省部级副职', '厅局级正职', '厅局级副职', '县处级正职', '县处级副职',
  '乡科级正职', '乡科级副职', '科员级', '办事员级', '未定职',
] as const;
export const ROLES = ['第一书记', '工作队队长', '工作队员'] as const;
export const PROJECT_TYPES = [
  '产业发展', '就业扶贫', '公益岗位', '基础设施', '公共服务', '易地扶贫搬迁', '教育扶贫', '健康扶贫', '危房改造',
  '金融扶贫', '生活条件改善', '综合保障', '项目管理费', '其他', '就业项目', '乡村建设行动', '巩固三保障成果',
] as const;
export const PROJECT_STATUSES = ['未开工', '在建', '已完工', '已验收'] as const;

// ---------------------------------------------------------------------------------------------
// 与户主关系: GB/T 4761-2008 家庭关系代码 → SPEC labels. Codes whose meaning has no SPEC label
// of its own (姐夫, 伯母, 表兄弟 …) map to 其他; codes the standard does not define are unreadable.

const RELATION_CODES: Record<string, string> = {
  '01': '户主', // 本人
  '02': '户主',
  '10': '配偶', '11': '配偶', '12': '配偶', // 配偶, 夫, 妻
  '20': '之子', '21': '之子', '22': '之子', '23': '之子', '24': '之子', '25': '之子', '26': '之子',
  '27': '之子', // 养子或继子
  '28': '之女婿',
  '29': '之子', // 其他儿子
  '30': '之女', '31': '之女', '32': '之女', '33': '之女', '34': '之女', '35': '之女', '36': '之女',
  '37': '之女', // 养女或继女
  '38': '之儿媳',
  '39': '之女', // 其他女儿
  '40': '其他', // 孙子、孙女或外孙子、外孙女 (gender unknown)
  '41': '之孙子', '42': '之孙女', '43': '之外孙子', '44': '之外孙女',
  '45': '其他', // 孙媳妇或外孙媳妇
  '46': '其他', // 孙女婿或外孙女婿
  '47': '之曾孙子', // 曾孙子或外曾孙子
  '48': '之曾孙女', // 曾孙女或外曾孙女
  '49': '其他', // 其他孙子、孙女…
  '50': '其他', // 父母 (gender unknown)
  '51': '之父', '52': '之母', '53': '之公公', '54': '之婆婆', '55': '之岳父', '56': '之岳母',
  '57': '之父', // 继父或养父
  '58': '之母', // 继母或养母
  '59': '其他', // 其他父母关系
  '60': '其他', // 祖父母或外祖父母
  '61': '之祖父', '62': '之祖母', '63': '之外祖父', '64': '之外祖母',
  '65': '其他', '66': '其他', '67': '其他', '68': '其他', '69': '其他', // 配偶的祖父母, 曾祖父母 …
  '70': '之兄弟姐妹', '71': '之兄弟姐妹', '73': '之兄弟姐妹', '75': '之兄弟姐妹', '77': '之兄弟姐妹', '79': '之兄弟姐妹',
  '72': '之兄弟媳妇', // 嫂
  '74': '之兄弟媳妇', // 弟媳
  '76': '其他', '78': '其他', // 姐夫, 妹夫
  '80': '其他',
  '81': '之叔伯', // 伯父
  '83': '之叔伯', // 叔父
  '82': '其他', '84': '其他', '85': '其他', '86': '其他', '87': '其他', '88': '其他', '89': '其他', '90': '其他',
  '91': '其他', '92': '其他', // 堂/表兄弟姐妹
  '93': '之侄儿', // 侄子
  '94': '之侄女',
  '95': '其他', '96': '其他', '97': '其他', // 外甥, 外甥女, 其他亲属
  '99': '其他', // 非亲属
};

/**
 * 与户主关系 in the national 扶贫开发信息系统 (全国扶贫开发信息系统 code list, as its import templates
 * and front ends show it: 01 户主, 02 配偶, 03 之子 … 20 之外祖母; later lists add 之兄弟姐妹 … 之叔伯
 * after it; 其他 is 99, 21 in the earliest list — 21 is gender-neutral in both readings).
 */
export const RELATION_CODES_NATIONAL: Record<string, string> = {
  '01': '户主', '02': '配偶', '03': '之子', '04': '之女', '05': '之儿媳', '06': '之女婿', '07': '之孙子', '08': '之孙女',
  '09': '之外孙子', '10': '之外孙女', '11': '之父', '12': '之母', '13': '之岳父', '14': '之岳母', '15': '之公公',
  '16': '之婆婆', '17': '之祖父', '18': '之祖母', '19': '之外祖父', '20': '之外祖母', '21': '之兄弟姐妹',
  '22': '之兄弟媳妇', '23': '之曾孙子', '24': '之曾孙女', '25': '之侄儿', '26': '之侄女', '27': '之叔伯', '99': '其他',
};

/** GB/T 4761-2008 家庭关系代码 → SPEC labels (the table above, exported for the dialect decision). */
export const RELATION_CODES_GBT = RELATION_CODES;

const RELATION_ALIASES: Record<string, string> = {
  本人或户主: '户主', 本人: '户主', 户主本人: '户主',
  夫: '配偶', 妻: '配偶', 丈夫: '配偶', 妻子: '配偶', 之配偶: '配偶', 之夫: '配偶', 之妻: '配偶',
  子: '之子', 儿子: '之子', 独生子: '之子', 长子: '之子', 次子: '之子', 三子: '之子', 四子: '之子', 五子: '之子',
  养子: '之子', 继子: '之子', 养子或继子: '之子', 其他儿子: '之子',
  女: '之女', 女儿: '之女', 独生女: '之女', 长女: '之女', 次女: '之女', 三女: '之女', 四女: '之女', 五女: '之女',
  养女: '之女', 继女: '之女', 养女或继女: '之女', 其他女儿: '之女',
  儿媳: '之儿媳', 儿媳妇: '之儿媳', 之儿媳妇: '之儿媳', 女婿: '之女婿',
  孙子: '之孙子', 孙女: '之孙女', 外孙子: '之外孙子', 外孙: '之外孙子', 之外孙: '之外孙子', 外孙女: '之外孙女',
  父亲: '之父', 父: '之父', 之父亲: '之父', 继父或养父: '之父', 继父: '之父', 养父: '之父',
  母亲: '之母', 母: '之母', 之母亲: '之母', 继母或养母: '之母', 继母: '之母', 养母: '之母',
  公公: '之公公', 婆婆: '之婆婆', 岳父: '之岳父', 岳母: '之岳母',
  祖父: '之祖父', 爷爷: '之祖父', 祖母: '之祖母', 奶奶: '之祖母',
  外祖父: '之外祖父', 外公: '之外祖父', 外祖母: '之外祖母', 外婆: '之外祖母',
  兄弟姐妹: '之兄弟姐妹', 兄: '之兄弟姐妹', 弟: '之兄弟姐妹', 哥哥: '之兄弟姐妹', 弟弟: '之兄弟姐妹',
  姐姐: '之兄弟姐妹', 妹妹: '之兄弟姐妹', 兄弟: '之兄弟姐妹', 姐妹: '之兄弟姐妹', 之兄弟: '之兄弟姐妹', 之姐妹: '之兄弟姐妹',
  其他兄弟姐妹: '之兄弟姐妹',
  兄弟媳妇: '之兄弟媳妇', 嫂: '之兄弟媳妇', 嫂子: '之兄弟媳妇', 弟媳: '之兄弟媳妇', 弟媳妇: '之兄弟媳妇',
  曾孙子: '之曾孙子', 曾孙女: '之曾孙女', 曾孙子或外曾孙子: '之曾孙子', 曾孙女或外曾孙女: '之曾孙女',
  侄儿: '之侄儿', 侄子: '之侄儿', 之侄子: '之侄儿', 侄女: '之侄女',
  // 姪 survives OpenCC's Traditional → Simplified conversion: list it explicitly
  之姪儿: '之侄儿', 之姪子: '之侄儿', 姪儿: '之侄儿', 姪子: '之侄儿', 之姪女: '之侄女', 姪女: '之侄女',
  叔伯: '之叔伯', 伯父: '之叔伯', 叔父: '之叔伯', 叔叔: '之叔伯', 伯伯: '之叔伯',
  其他亲属: '其他', 非亲属: '其他', 其它: '其他',
};

// ---------------------------------------------------------------------------------------------
// 在校生状况: open-ended grade forms → level

const GRADE = '(?:[一二三四五六七八九1-9]年级|[一二三四五六七八九1-9]年)?';
const SCHOOL_PATTERNS: [RegExp, string][] = [
  [new RegExp(`^(?:小学|小学生)${GRADE}$`), '小学'],
  [/^[一二三四五六1-6]年级$/, '小学'],
  [/^(?:[七八九789]年级|初[一二三123]|初中|初级中学)$/, '初中'],
  [new RegExp(`^(?:初中|初级中学)${GRADE}$`), '初中'],
  [new RegExp(`^(?:普通高中|高中|普高)${GRADE}$`), '高中'],
  [/^高[一二三123]$/, '高中'],
  [new RegExp(`^(?:中职|中专|职高|中等职业教育|中等职业学校)${GRADE}$`), '中职'],
  [new RegExp(`^(?:高职高专|高职|高专|大专|专科)${GRADE}$`), '高职高专'],
  [/^技师学院/, '技师学院'],
  [/^技工(?:院校|学校)/, '技师学院'],
  [new RegExp(`^(?:本科|大学本科|大学)${GRADE}$`), '本科'],
  [/^(?:硕士|博士|研究生)/, '硕士研究生及以上'],
];

function matchSchool(s: string): string | undefined {
  for (const [re, level] of SCHOOL_PATTERNS) if (re.test(s)) return level;
  return undefined;
}

// ---------------------------------------------------------------------------------------------

export const DICTIONARIES: Record<DictName, Dictionary> = {
  gender: {
    name: 'gender',
    values: GENDERS,
    codes: { '1': '男', '2': '女' },
    aliases: { 男性: '男', 女性: '女', M: '男', F: '女', 男的: '男', 女的: '女' },
  },
  idType: {
    name: 'idType',
    values: ID_TYPES,
    aliases: {
      身份证: '居民身份证', 二代身份证: '居民身份证', 第二代居民身份证: '居民身份证', 二代居民身份证: '居民身份证',
      中华人民共和国居民身份证: '居民身份证', 居民身份证号码: '居民身份证', 身份证号码: '居民身份证', 公民身份号码: '居民身份证',
      残疾证: '残疾人证', 第二代残疾人证: '残疾人证', 中华人民共和国残疾人证: '残疾人证', 残疾人证号: '残疾人证',
      军官证: '军人证', 士兵证: '军人证', 军人身份证: '军人证', 军人身份证件: '军人证',
      户口本: '户口簿', 户口簿号: '户口簿', 居民户口簿: '户口簿',
      普通护照: '护照', 其它: '其他',
    },
  },
  relation: {
    name: 'relation',
    values: RELATIONS,
    codes: RELATION_CODES,
    codeWidth: 2,
    aliases: RELATION_ALIASES,
  },
  education: {
    name: 'education',
    values: EDUCATIONS,
    aliases: {
      文盲: '文盲或半文盲', 半文盲: '文盲或半文盲', 文盲半文盲: '文盲或半文盲',
      小学文化: '小学', 初中文化: '初中', 高中文化: '高中',
      // same level as 高中 in the register's own statistics (高中(含中专))
      中专: '高中', 中职: '高中', 职高: '高中', 技校: '高中', '高中(含中专)': '高中', 高中或中专: '高中',
      专科: '大专', 大学专科: '大专',
      本科: '本科及以上', 大学本科: '本科及以上', 研究生: '本科及以上', 硕士: '本科及以上', 博士: '本科及以上',
      学龄前: '学龄前儿童',
    },
  },
  schoolStatus: {
    name: 'schoolStatus',
    values: SCHOOL_LEVELS,
    aliases: {
      学龄前: '学龄前儿童',
      学前: '学前教育', 学前班: '学前教育', 幼儿园: '学前教育',
      硕士研究生: '硕士研究生及以上', 研究生及以上: '硕士研究生及以上',
      非在校: '非在校生', 不在校: '非在校生', 不在校生: '非在校生',
    },
    match: matchSchool,
  },
  health: {
    name: 'health',
    values: HEALTHS,
    // the national 扶贫 system's codes (its front ends map 01 健康 … 04 残疾)
    codes: { '01': '健康', '02': '长期慢性病', '03': '患有大病', '04': '残疾' },
    codeWidth: 2,
    aliases: {
      慢性病: '长期慢性病', 长期慢性疾病: '长期慢性病',
      大病: '患有大病', 重大疾病: '患有大病', 患大病: '患有大病',
      残疾人: '残疾', 残: '残疾',
    },
  },
  laborSkill: {
    name: 'laborSkill',
    values: LABOR_SKILLS,
    // the national 扶贫 system's codes 01–04 as its front ends list them (弱劳动力或半劳动力, added
    // later, has no code we could confirm: written as a code it stays unreadable)
    codes: { '01': '普通劳动力', '02': '技能劳动力', '03': '丧失劳动力', '04': '无劳动力' },
    codeWidth: 2,
    aliases: { 弱劳动力: '弱劳动力或半劳动力', 半劳动力: '弱劳动力或半劳动力', 弱或半劳动力: '弱劳动力或半劳动力' },
  },
  workStatus: {
    name: 'workStatus',
    values: WORK_STATUSES,
    aliases: {
      乡镇内务工: '乡(镇)内务工', '乡(镇)内': '乡(镇)内务工', 乡镇内: '乡(镇)内务工',
      乡镇外县内务工: '乡(镇)外县内务工', '乡(镇)外县内': '乡(镇)外县内务工', 乡镇外县内: '乡(镇)外县内务工',
      县外省内: '县外省内务工', 省外: '省外务工',
      未务工: '无', 不务工: '无', 其它: '其他',
    },
  },
  povertyAttribute: {
    name: 'povertyAttribute',
    values: POVERTY_ATTRIBUTES,
    aliases: {
      一般户: '一般贫困户', 一般农户: '一般贫困户',
      低保户: '低保贫困户', 低保: '低保贫困户',
      五保户: '特困供养贫困户', 五保贫困户: '特困供养贫困户', 特困户: '特困供养贫困户', 特困供养户: '特困供养贫困户',
      特困供养: '特困供养贫困户', 五保: '特困供养贫困户',
      五保脱贫户: '特困供养脱贫户',
    },
  },
  mainCause: {
    name: 'mainCause',
    values: MAIN_CAUSES,
    aliases: {
      病: '因病', 因病致贫: '因病', 残: '因残', 因残致贫: '因残', 学: '因学', 因学致贫: '因学', 灾: '因灾', 因灾致贫: '因灾',
      缺地: '缺土地', 缺乏土地: '缺土地', 缺乏水: '缺水', 缺乏技术: '缺技术', 缺劳动力: '缺劳力', 缺乏劳动力: '缺劳力',
      缺乏资金: '缺资金', 交通落后: '交通条件落后', 交通条件差: '交通条件落后',
      发展动力不足: '自身发展动力不足', 缺乏发展动力: '自身发展动力不足',
    },
  },
  status: {
    name: 'status',
    values: STATUSES,
    aliases: {
      贫困户: '未脱贫', 预脱贫: '未脱贫', 未脱贫户: '未脱贫', 贫困: '未脱贫',
      脱贫户: '已脱贫', 脱贫: '已脱贫', '已脱贫(享受政策)': '已脱贫', '已脱贫(不再享受政策)': '已脱贫',
      '脱贫(享受政策)': '已脱贫', '脱贫(不再享受政策)': '已脱贫', 已脱贫户: '已脱贫',
      返贫户: '返贫', 已返贫: '返贫',
      脱贫不稳定: '脱贫不稳定户', 脱贫不稳定人口: '脱贫不稳定户', 脱贫不稳定户监测对象: '脱贫不稳定户',
      边缘易致贫: '边缘易致贫户', 边缘易致贫人口: '边缘易致贫户', 边缘户: '边缘易致贫户', 边缘易致贫户监测对象: '边缘易致贫户',
      突发严重困难: '突发严重困难户', 突发严重困难人口: '突发严重困难户', 突发严重困难户监测对象: '突发严重困难户',
      监测户: '监测对象', 防返贫监测对象: '监测对象', 防返贫监测户: '监测对象', 监测对象户: '监测对象', 纳入监测: '监测对象',
    },
  },
  monitoringType: {
    name: 'monitoringType',
    values: MONITORING_TYPES,
    aliases: {
      脱贫不稳定: '脱贫不稳定户', 脱贫不稳定人口: '脱贫不稳定户', 脱贫不稳定户监测对象: '脱贫不稳定户',
      边缘易致贫: '边缘易致贫户', 边缘易致贫人口: '边缘易致贫户', 边缘户: '边缘易致贫户', 边缘易致贫户监测对象: '边缘易致贫户',
      突发严重困难: '突发严重困难户', 突发严重困难人口: '突发严重困难户', 突发严重困难户监测对象: '突发严重困难户',
    },
  },
  riskStatus: {
    name: 'riskStatus',
    values: RISK_STATUSES,
    aliases: {
      已消除: '风险已消除', 消除: '风险已消除', 风险消除: '风险已消除', 已消除风险: '风险已消除', 是: '风险已消除',
      未消除: '风险未消除', 风险未消除: '风险未消除', 未消除风险: '风险未消除', 否: '风险未消除',
    },
  },
  unitLevel: {
    name: 'unitLevel',
    values: UNIT_LEVELS,
    aliases: {
      中央级: '中央', 中央单位: '中央', 中央国家机关: '中央',
      省级: '省', '省(自治区、直辖市)': '省', 自治区: '省', 直辖市: '省',
      '市、地区': '市', 地区: '市', 市级: '市', 地市: '市', 地级: '市', '市(地区)': '市', '市(州)': '市', 州: '市',
      区级: '区', 县级: '县', '县(市)': '县', 街道办事处: '街道', 镇级: '镇', 乡级: '乡',
      居委会: '居民委员会', 社区居委会: '居民委员会', 村委会: '村民委员会', 村委: '村民委员会',
      部队: '军队', 其它: '其他',
    },
  },
  rank: {
    name: 'rank',
    values: RANKS,
    aliases: {
      正国级: '国家级正职', 副国级: '国家级副职', 正部级: '省部级正职', 副部级: '省部级副职',
      正厅级: '厅局级正职', 副厅级: '厅局级副职', 正局级: '厅局级正职', 副局级: '厅局级副职',
      正处级: '县处级正职', 副处级: '县处级副职', 正县级: '县处级正职', 副县级: '县处级副职',
      正科级: '乡科级正职', 副科级: '乡科级副职', 正乡级: '乡科级正职', 副乡级: '乡科级副职',
      科员: '科员级', 办事员: '办事员级', 未定级: '未定职', 未定职级: '未定职',
    },
  },
  role: {
    name: 'role',
    values: ROLES,
    aliases: {
      驻村第一书记: '第一书记',
      // the first secretary commonly leads the team too; the role matters for no coverage rule
      第一书记兼工作队队长: '第一书记', 第一书记兼队长: '第一书记',
      队长: '工作队队长', 驻村工作队队长: '工作队队长',
      队员: '工作队员', 工作队成员: '工作队员', 驻村工作队员: '工作队员', 驻村队员: '工作队员', 驻村工作队成员: '工作队员',
    },
  },
  projectType: {
    name: 'projectType',
    values: PROJECT_TYPES,
    aliases: {
      产业扶贫: '产业发展', 产业项目: '产业发展', 产业发展类: '产业发展', 就业扶贫类: '就业扶贫',
      基础设施建设: '基础设施', 基础设施类: '基础设施', 村基础设施: '基础设施', 公共服务类: '公共服务',
      易地搬迁: '易地扶贫搬迁', 异地扶贫搬迁: '易地扶贫搬迁', 教育扶贫类: '教育扶贫', 健康扶贫类: '健康扶贫',
      危房改造类: '危房改造', 农村危房改造: '危房改造', 金融扶贫类: '金融扶贫', 生活条件改善类: '生活条件改善',
      综合保障类: '综合保障', 其它: '其他', 就业项目类: '就业项目', 乡村建设: '乡村建设行动',
      巩固三保障: '巩固三保障成果',
      乡村建设行动类: '乡村建设行动', 就业类: '就业项目', 巩固三保障成果类: '巩固三保障成果',
    },
  },
  projectStatus: {
    name: 'projectStatus',
    values: PROJECT_STATUSES,
    aliases: {
      未启动: '未开工', 尚未开工: '未开工', 未实施: '未开工',
      已开工: '在建', 在建中: '在建', 实施中: '在建', 正在实施: '在建', 建设中: '在建', 施工中: '在建',
      完工: '已完工', 竣工: '已完工', 已竣工: '已完工', 完成: '已完工', 已完成: '已完工',
      验收: '已验收', 已验收完成: '已验收', 验收完成: '已验收', 已通过验收: '已验收',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Lookup

const INNER_SPACE = /[\s\u00a0\u200b\ufeff]+/g;

/** Comparable form of a dictionary value: normalizeText and no spaces at all. */
export function dictKey(s: string): string {
  return normalizeText(s).replace(INNER_SPACE, '');
}

interface Compiled {
  dict: Dictionary;
  table: Map<string, string>;
  codes: Map<string, string>;
  cache: Map<string, string | null>;
}

const compiled = new Map<DictName, Compiled>();

function compile(name: DictName): Compiled {
  let c = compiled.get(name);
  if (c) return c;
  const dict = DICTIONARIES[name];
  const table = new Map<string, string>();
  for (const v of dict.values) table.set(dictKey(v), v);
  for (const [alias, v] of Object.entries(dict.aliases ?? {})) {
    const k = dictKey(alias);
    if (!table.has(k)) table.set(k, v);
    // relation labels come with and without the 之 prefix (儿子, 之儿子 → 之子)
    if (v.startsWith('之') && !k.startsWith('之') && !table.has('之' + k)) table.set('之' + k, v);
  }
  const codes = new Map<string, string>(Object.entries(dict.codes ?? {}));
  c = { dict, table, codes, cache: new Map() };
  compiled.set(name, c);
  return c;
}

const DIGITS = /^\d+$/;
const WHOLE_FLOAT = /^(\d+)\.0+$/;

function lookupUncached(c: Compiled, text: string): string | undefined {
  let k = dictKey(text);
  const hit = c.table.get(k);
  if (hit !== undefined) return hit;
  if (c.codes.size > 0) {
    const f = WHOLE_FLOAT.exec(k);
    if (f) k = f[1]!;
    if (DIGITS.test(k)) {
      const w = c.dict.codeWidth;
      const code = w ? (k.length < w ? k.padStart(w, '0') : k) : k.replace(/^0+(?=\d)/, '');
      return c.codes.get(code);
    }
  }
  return c.dict.match?.(k);
}

/** Canonical value of a dictionary for a cell's text, or undefined when outside the dictionary. */
export function lookup(dict: DictName, text: string): string | undefined {
  return lookupIn(compile(dict), text);
}

function lookupIn(c: Compiled, text: string): string | undefined {
  const cached = c.cache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const r = lookupUncached(c, text);
  if (c.cache.size < 10_000) c.cache.set(text, r ?? null);
  return r;
}

/**
 * `lookup` bound to one dictionary: a sheet's coded columns ask per cell, and the dictionary is
 * found once per column instead of once per cell.
 */
export function dictLookup(dict: DictName): (text: string) => string | undefined {
  const c = compile(dict);
  return (text) => lookupIn(c, text);
}

/** Separators of multi-select cells (健康状况 `残疾,长期慢性病`). */
const MULTI_SPLIT = /[,，、;；/|\s]+/;

/**
 * A multi-select cell → its canonical values, deduplicated and in dictionary order (so two cells
 * listing the same values in any order compare equal); undefined when any part is outside.
 */
export function lookupMulti(dict: DictName, text: string): string[] | undefined {
  const cached = multiCache.get(dict)?.get(text);
  // a copy, so a caller mutating its array cannot change other rows
  if (cached !== undefined) return cached === null ? undefined : cached.slice();
  const r = lookupMultiUncached(dict, text);
  let m = multiCache.get(dict);
  if (!m) multiCache.set(dict, (m = new Map()));
  if (m.size < 10_000) m.set(text, r ?? null);
  return r?.slice();
}

const multiCache = new Map<DictName, Map<string, string[] | null>>();

function lookupMultiUncached(dict: DictName, text: string): string[] | undefined {
  const c = compile(dict);
  const parts = normalizeText(text).split(MULTI_SPLIT);
  const found = new Set<string>();
  for (const p of parts) {
    if (p === '') continue;
    const v = lookup(dict, p);
    if (v === undefined) return undefined;
    found.add(v);
  }
  if (found.size === 0) return undefined;
  return c.dict.values.filter((v) => found.has(v));
}

/** Is a value one of the dictionary's canonical values? */
export function isCanonical(dict: DictName, value: string): boolean {
  return (DICTIONARIES[dict].values as readonly string[]).includes(value);
}
