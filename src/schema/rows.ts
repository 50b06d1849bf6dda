// Typed views of normalised rows, one per logical table (keys as in tables.ts). A key is absent
// when the cell was empty or the sheet had no such column; unreadable cells are in `row.bad`.
import type { IdValue, NormalRow, PartialDate, Region, TableKind } from '../model.js';

export interface RegionValues extends Region {}

/** household-level (hh) fields: on member rows, the 户主 row, or a households table */
export interface HouseholdFields {
  headName?: string;
  headId?: IdValue;
  householdSize?: number;
  povertyAttribute?: string;
  mainCause?: string;
  identifiedOn?: PartialDate;
  /** canonical: 未脱贫 | 已脱贫 | 返贫 (贫困户/预脱贫 → 未脱贫; 脱贫户/已脱贫(…) → 已脱贫) */
  status?: '未脱贫' | '已脱贫' | '返贫' | '脱贫不稳定户' | '边缘易致贫户' | '突发严重困难户' | '监测对象';
  /** 防返贫监测 category */
  monitoringType?: '脱贫不稳定户' | '边缘易致贫户' | '突发严重困难户';
  /** 防返贫监测: 风险已消除 | 风险未消除 */
  riskStatus?: '风险已消除' | '风险未消除';
  exitYear?: number;
  plannedExitYear?: number;
  incomePerCapita?: number;
  incomeNet?: number;
  incomeWage?: number;
  incomeBusiness?: number;
  incomeProperty?: number;
  incomeTransfer?: number;
  expenseBusiness?: number;
  foodClothingOk?: boolean;
  educationOk?: boolean;
  medicalOk?: boolean;
  housingOk?: boolean;
  waterOk?: boolean;
  electricityOk?: boolean;
  tvOk?: boolean;
}

export interface MemberValues extends RegionValues {
  householdNo?: string;
  /** the head's ID number: the household link where a layout has no 户编号 */
  headId?: IdValue;
  headName?: string;
  name?: string;
  idNumber?: IdValue;
  idType?: string;
  gender?: '男' | '女';
  birthDate?: PartialDate;
  age?: number;
  relation?: string;
  ethnicity?: string;
  education?: string;
  /** canonical school level: 学龄前儿童 | 学前教育 | 小学 | 初中 | 高中 | 中职 | 高职高专 | 技师学院 | 本科 | 硕士研究生及以上 | 非在校生 */
  schoolStatus?: string;
  health?: string[];
  laborSkill?: string;
  workStatus?: string;
  workMonths?: number;
  medicalInsurance?: boolean;
  criticalIllnessInsurance?: boolean;
  phone?: string;
}

export interface HouseholdValues extends RegionValues, HouseholdFields {
  householdNo?: string;
  phone?: string;
}

export interface HelperValues extends RegionValues {
  helperId?: IdValue;
  helperName?: string;
  gender?: '男' | '女';
  phone?: string;
  unit?: string;
  unitLevel?: string;
  rank?: string;
  position?: string;
}

export interface PairingValues extends RegionValues {
  householdNo?: string;
  headId?: IdValue;
  headName?: string;
  helperId?: IdValue;
  helperName?: string;
  startOn?: PartialDate;
  endOn?: PartialDate;
}

export interface ResidencyValues extends RegionValues {
  name?: string;
  idNumber?: IdValue;
  gender?: '男' | '女';
  role?: '第一书记' | '工作队队长' | '工作队员';
  isFirstSecretary?: boolean;
  isTeamLeader?: boolean;
  dispatchUnit?: string;
  startOn?: PartialDate;
  endOn?: PartialDate;
  phone?: string;
}

export interface VillageValues extends RegionValues {
  isPoorVillage?: boolean;
  exitYear?: number;
  hardRoad?: boolean;
  powerGrid?: boolean;
  broadband?: boolean;
  clinic?: boolean;
  culturalRoom?: boolean;
}

export interface ProjectValues extends RegionValues {
  projectNo?: string;
  projectName?: string;
  projectType?: string;
  subType?: string;
  content?: string;
  location?: string;
  /** document text, or false when the cell says 否/无 */
  fundPlanDoc?: string | false;
  feasibilityDoc?: string | false;
  acceptanceDoc?: string | false;
  status?: '未开工' | '在建' | '已完工' | '已验收';
  startOn?: PartialDate;
  endOn?: PartialDate;
  totalAmount?: number; // 万元
  fiscalAmount?: number; // 万元
  noticeUrl?: string;
  noticeAmount?: number; // 万元
}

export interface BeneficiaryValues extends RegionValues {
  projectNo?: string;
  householdNo?: string;
  headId?: IdValue;
  headName?: string;
  benefitType?: string;
}

/** The values of each table's rows. */
export interface TableValues {
  members: MemberValues;
  households: HouseholdValues;
  helpers: HelperValues;
  pairings: PairingValues;
  residencies: ResidencyValues;
  villages: VillageValues;
  projects: ProjectValues;
  beneficiaries: BeneficiaryValues;
}

/** A row of table T, its `table` narrowed so that a rule reading several tables can tell them apart. */
export type TableRow<T extends TableKind> = T extends 'helpers'
  ? HelperRow
  : T extends TableKind
    ? NormalRow<TableValues[T]> & { table: T }
    : never;

export type MemberRow = TableRow<'members'>;
export type HouseholdRow = TableRow<'households'>;
export type HelperRow = NormalRow<HelperValues> & {
  table: 'helpers';
  /** the helper's columns came from a pairing sheet, not a separate helpers sheet */
  viaPairing?: boolean;
};
export type PairingRow = TableRow<'pairings'>;
export type ResidencyRow = TableRow<'residencies'>;
export type VillageRow = TableRow<'villages'>;
export type ProjectRow = TableRow<'projects'>;
export type BeneficiaryRow = TableRow<'beneficiaries'>;
