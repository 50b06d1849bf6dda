import { describe, expect, it } from 'vitest';
import {
  DICTIONARIES,
  MAIN_CAUSES,
  PROJECT_TYPES,
  RELATIONS,
  SCHOOL_LEVELS,
  isCanonical,
  lookup,
  lookupMulti,
} from '../../src/normalize/dictionaries.js';
import type { DictName } from '../../src/schema/tables.js';
import { TABLES } from '../../src/schema/tables.js';

describe('dictionary integrity', () => {
  it('every DictName used by TABLES has a dictionary', () => {
    for (const t of Object.values(TABLES)) {
      for (const f of t.fields) if (f.dict) expect(DICTIONARIES[f.dict], f.dict).toBeDefined();
    }
  });

  it('every canonical value looks itself up, and every alias/code targets a canonical value', () => {
    for (const [name, d] of Object.entries(DICTIONARIES) as [DictName, (typeof DICTIONARIES)[DictName]][]) {
      for (const v of d.values) expect(lookup(name, v), `${name}:${v}`).toBe(v);
      for (const [a, v] of Object.entries(d.aliases ?? {})) {
        expect(isCanonical(name, v), `${name} alias ${a} → ${v}`).toBe(true);
        expect(lookup(name, a), `${name} alias ${a}`).toBe(v);
      }
      for (const v of Object.values(d.codes ?? {})) expect(isCanonical(name, v)).toBe(true);
    }
  });

  it('canonical lists are written as the SPEC writes them', () => {
    expect(RELATIONS).toHaveLength(28);
    expect(RELATIONS[0]).toBe('户主');
    expect(MAIN_CAUSES).toContain('自身发展动力不足');
    expect(PROJECT_TYPES).toEqual(expect.arrayContaining(['就业项目', '乡村建设行动', '巩固三保障成果', '项目管理费']));
    expect(DICTIONARIES.workStatus.values).toContain('乡(镇)外县内务工');
    // the SPEC's three, then the monitoring-era categories (2021 on, SPEC §2)
    expect(DICTIONARIES.status.values).toEqual(['未脱贫', '已脱贫', '返贫', '脱贫不稳定户', '边缘易致贫户', '突发严重困难户', '监测对象']);
  });
});

describe('gender', () => {
  it.each([
    ['1', '男'], ['2', '女'], ['男', '男'], ['女', '女'], ['男性', '男'], ['女性', '女'], [' 男 ', '男'], ['１', '男'], ['1.0', '男'], ['01', '男'],
  ])('%s → %s', (s, v) => expect(lookup('gender', s)).toBe(v));
  it('unknown codes and words are outside', () => {
    for (const s of ['3', '0', '未知', '']) expect(lookup('gender', s)).toBeUndefined();
  });
});

describe('relation (GB/T 4761 codes, labels, aliases, Traditional)', () => {
  it.each([
    ['01', '户主'], ['02', '户主'], ['2', '户主'], ['10', '配偶'], ['11', '配偶'], ['12', '配偶'],
    ['20', '之子'], ['22', '之子'], ['27', '之子'], ['28', '之女婿'], ['30', '之女'], ['37', '之女'], ['38', '之儿媳'],
    ['41', '之孙子'], ['42', '之孙女'], ['43', '之外孙子'], ['44', '之外孙女'], ['47', '之曾孙子'], ['48', '之曾孙女'],
    ['51', '之父'], ['52', '之母'], ['53', '之公公'], ['54', '之婆婆'], ['55', '之岳父'], ['56', '之岳母'],
    ['61', '之祖父'], ['62', '之祖母'], ['63', '之外祖父'], ['64', '之外祖母'],
    ['70', '之兄弟姐妹'], ['71', '之兄弟姐妹'], ['77', '之兄弟姐妹'], ['72', '之兄弟媳妇'], ['74', '之兄弟媳妇'],
    ['81', '之叔伯'], ['83', '之叔伯'], ['93', '之侄儿'], ['94', '之侄女'], ['97', '其他'], ['99', '其他'], ['40', '其他'],
    ['02.0', '户主'],
  ])('code %s → %s', (s, v) => expect(lookup('relation', s)).toBe(v));

  it('codes the standard does not define are outside', () => {
    for (const s of ['00', '03', '13', '19', '98', '100', '9']) expect(lookup('relation', s), s).toBeUndefined();
  });

  it.each([
    ['本人或户主', '户主'], ['本人', '户主'], ['户主', '户主'], ['妻', '配偶'], ['长子', '之子'], ['儿媳', '之儿媳'],
    ['之孫子', '之孙子'], ['之外孫女', '之外孙女'], ['之兒媳', '之儿媳'], ['之兄弟媳婦', '之兄弟媳妇'], ['之姪女', '之侄女'],
    ['之姪兒', '之侄儿'], ['侄子', '之侄儿'], ['之 孙子', '之孙子'], ['戶主', '户主'], ['孙子', '之孙子'],
    ['之兒子', '之子'], ['之女儿', '之女'], ['之父亲', '之父'], ['之外孙', '之外孙子'], ['之孫女', '之孙女'],
  ])('label %s → %s', (s, v) => expect(lookup('relation', s)).toBe(v));
});

describe('status and poverty attribute', () => {
  it.each([
    ['未脱贫', '未脱贫'], ['贫困户', '未脱贫'], ['预脱贫', '未脱贫'], ['已脱贫', '已脱贫'], ['脱贫户', '已脱贫'],
    ['已脱贫(享受政策)', '已脱贫'], ['已脱贫（享受政策）', '已脱贫'], ['已脱贫(不再享受政策)', '已脱贫'], ['已脫貧', '已脱贫'],
    ['返贫', '返贫'], ['返貧', '返贫'], ['返贫户', '返贫'],
  ])('status %s → %s', (s, v) => expect(lookup('status', s)).toBe(v));

  it.each([
    ['五保户', '特困供养贫困户'], ['低保户', '低保贫困户'], ['一般户', '一般贫困户'], ['一般贫困户', '一般贫困户'],
    ['一般脱贫户', '一般脱贫户'], ['低保脱贫户', '低保脱贫户'], ['特困供养脱贫户', '特困供养脱贫户'], ['特困供養貧困戶', '特困供养贫困户'],
  ])('attribute %s → %s', (s, v) => expect(lookup('povertyAttribute', s)).toBe(v));

  it.each([
    ['监测户', '监测对象'], ['监测对象', '监测对象'], ['边缘易致贫户', '边缘易致贫户'], ['边缘户', '边缘易致贫户'],
    ['脱贫不稳定户', '脱贫不稳定户'], ['突发严重困难户', '突发严重困难户'], ['邊緣易致貧戶', '边缘易致贫户'],
  ])('monitoring-era status %s → %s', (s, v) => expect(lookup('status', s)).toBe(v));

  it.each([['风险已消除', '风险已消除'], ['已消除', '风险已消除'], ['未消除', '风险未消除'], ['是', '风险已消除']])(
    'risk status %s → %s',
    (s, v) => expect(lookup('riskStatus', s)).toBe(v),
  );

  it('outside values stay outside', () => {
    expect(lookup('status', '困难户')).toBeUndefined();
    expect(lookup('status', '低收入人口')).toBeUndefined();
    expect(lookup('povertyAttribute', '低保五保户')).toBeUndefined();
  });
});

describe('main cause, education, labour, work', () => {
  it('main cause', () => {
    expect(lookup('mainCause', '因病')).toBe('因病');
    expect(lookup('mainCause', '因病致贫')).toBe('因病');
    expect(lookup('mainCause', '缺劳动力')).toBe('缺劳力');
    expect(lookup('mainCause', '交通條件落後')).toBe('交通条件落后');
    expect(lookup('mainCause', '其他')).toBeUndefined();
  });
  it('education', () => {
    expect(lookup('education', '文盲')).toBe('文盲或半文盲');
    expect(lookup('education', '大专及以上')).toBe('大专及以上');
    expect(lookup('education', '學齡前兒童')).toBe('学龄前儿童');
    expect(lookup('education', '本科')).toBe('本科及以上');
    expect(lookup('education', '幼儿园')).toBeUndefined();
  });
  it('labour skill', () => {
    expect(lookup('laborSkill', '弱劳动力')).toBe('弱劳动力或半劳动力');
    expect(lookup('laborSkill', '普通勞動力')).toBe('普通劳动力');
    expect(lookup('laborSkill', '强劳动力')).toBeUndefined();
  });
  it('work status keeps 无 and 其他', () => {
    expect(lookup('workStatus', '无')).toBe('无');
    expect(lookup('workStatus', '其他')).toBe('其他');
    expect(lookup('workStatus', '乡（镇）内务工')).toBe('乡(镇)内务工');
    expect(lookup('workStatus', '乡镇外县内务工')).toBe('乡(镇)外县内务工');
    expect(lookup('workStatus', '縣外省內務工')).toBe('县外省内务工');
    expect(lookup('workStatus', '省外')).toBe('省外务工');
    expect(lookup('workStatus', '国外务工')).toBeUndefined();
  });
});

describe('school status → level', () => {
  it.each([
    ['小学三年级', '小学'], ['小学', '小学'], ['小学一年级', '小学'], ['三年级', '小学'], ['小學六年級', '小学'],
    ['七年级', '初中'], ['八年级', '初中'], ['九年级', '初中'], ['初中', '初中'], ['初二', '初中'],
    ['普通高中一年级', '高中'], ['普通高中三年级', '高中'], ['高中', '高中'], ['高三', '高中'],
    ['中职二年级', '中职'], ['中职', '中职'], ['中专', '中职'],
    ['高职高专一年级', '高职高专'], ['高职高专', '高职高专'], ['大专', '高职高专'],
    ['技师学院一年级', '技师学院'], ['技师学院', '技师学院'],
    ['本科一年级', '本科'], ['本科五年级', '本科'], ['本科', '本科'],
    ['硕士研究生及以上', '硕士研究生及以上'], ['博士研究生', '硕士研究生及以上'],
    ['学前教育', '学前教育'], ['学龄前儿童', '学龄前儿童'], ['非在校生', '非在校生'], ['幼儿园', '学前教育'],
  ])('%s → %s', (s, v) => expect(lookup('schoolStatus', s)).toBe(v));

  it('every canonical level is listed and unknown forms stay outside', () => {
    expect(SCHOOL_LEVELS).toHaveLength(11);
    for (const s of ['十年级', '小学十年级', '辍学', '大学毕业']) expect(lookup('schoolStatus', s), s).toBeUndefined();
  });
});

describe('health (multi-select)', () => {
  it('splits on every separator, in any order, into dictionary order', () => {
    const want = ['长期慢性病', '残疾'];
    for (const s of ['残疾,长期慢性病', '长期慢性病,残疾', '残疾，长期慢性病', '残疾、慢性病', '残疾;长期慢性病', '残疾；长期慢性病', '残疾/长期慢性病', ' 殘疾 , 長期慢性病 ']) {
      expect(lookupMulti('health', s), s).toEqual(want);
    }
    expect(lookupMulti('health', '大病')).toEqual(['患有大病']);
    expect(lookupMulti('health', '健康')).toEqual(['健康']);
    expect(lookupMulti('health', '残疾,残疾')).toEqual(['残疾']);
    expect(lookupMulti('health', '残疾,,慢性病,')).toEqual(['长期慢性病', '残疾']);
  });
  it('one part outside makes the cell outside', () => {
    expect(lookupMulti('health', '残疾,感冒')).toBeUndefined();
    expect(lookupMulti('health', ',')).toBeUndefined();
  });
});

describe('helper dictionaries', () => {
  it('id type', () => {
    expect(lookup('idType', '身份证')).toBe('居民身份证');
    expect(lookup('idType', '残疾证')).toBe('残疾人证');
    expect(lookup('idType', '居民身份證')).toBe('居民身份证');
    expect(lookup('idType', '户口本')).toBe('户口簿');
    expect(lookup('idType', '驾驶证')).toBeUndefined();
  });
  it('unit level', () => {
    expect(lookup('unitLevel', '市、地区')).toBe('市');
    expect(lookup('unitLevel', '市，地区')).toBeUndefined();
    expect(lookup('unitLevel', '地区')).toBe('市');
    expect(lookup('unitLevel', '村委会')).toBe('村民委员会');
    expect(lookup('unitLevel', '居民委員會')).toBe('居民委员会');
    expect(lookup('unitLevel', '乡镇')).toBeUndefined();
  });
  it('rank', () => {
    expect(lookup('rank', '正科级')).toBe('乡科级正职');
    expect(lookup('rank', '縣處級副職')).toBe('县处级副职');
    expect(lookup('rank', '科员')).toBe('科员级');
    expect(lookup('rank', '局长')).toBeUndefined();
  });
  it('role', () => {
    expect(lookup('role', '第一书记')).toBe('第一书记');
    expect(lookup('role', '队长')).toBe('工作队队长');
    expect(lookup('role', '队员')).toBe('工作队员');
    expect(lookup('role', '工作隊員')).toBe('工作队员');
    expect(lookup('role', '村支书')).toBeUndefined();
  });
  it('project type and status', () => {
    expect(lookup('projectType', '产业发展')).toBe('产业发展');
    expect(lookup('projectType', '产业扶贫')).toBe('产业发展');
    expect(lookup('projectType', '鞏固三保障成果')).toBe('巩固三保障成果');
    expect(lookup('projectType', '乡村建设行动')).toBe('乡村建设行动');
    expect(lookup('projectType', '旅游')).toBeUndefined();
    expect(lookup('projectStatus', '已驗收')).toBe('已验收');
    expect(lookup('projectStatus', '已竣工')).toBe('已完工');
    expect(lookup('projectStatus', '实施中')).toBe('在建');
    expect(lookup('projectStatus', '暂停')).toBeUndefined();
  });
});
