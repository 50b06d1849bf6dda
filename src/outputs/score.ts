// Village data-quality score (0–1000), shown in summary.json and the 整改台账 汇总 sheet.
//
// Formula: each household carries a defect weight of min(1, errors + 0.3 × suspects) from the
// findings on it (info findings weigh nothing); the score is 1000 × (1 − Σ weights / households),
// rounded. So the score reads as "share of households with clean data", where one household with
// many problems cannot sink a whole village and a suspect counts less than a confirmed error.
// Findings not tied to a household (helpers, projects) are listed but do not enter the score.

export const SCORE_FORMULA_ZH =
  '得分 = 1000 × (1 − 各户问题权重之和 ÷ 户数)，四舍五入取整。每户权重 = min(1, 错误数 + 0.3 × 疑似数)，提示不计；' +
  '一户问题再多最多扣一户的分，未关联到户的问题（帮扶人、项目）不计入得分。';

export interface HouseholdDefects {
  errors: number;
  suspects: number;
}

export function householdWeight(d: HouseholdDefects): number {
  return Math.min(1, d.errors + 0.3 * d.suspects);
}

/** Score of a village from its household count and the defects per household that has any. */
export function villageScore(households: number, defects: Iterable<HouseholdDefects>): number {
  if (households <= 0) return 1000;
  let sum = 0;
  for (const d of defects) sum += householdWeight(d);
  return Math.max(0, Math.round(1000 * (1 - sum / households)));
}
