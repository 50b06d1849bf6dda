// 防返贫监测 (2021 on): which households the rules written for 贫困户 (建档立卡 2014–2020) leave out.
import type { HouseholdFields } from '../../src/schema/rows.js';
import { MONITORING_STATUSES } from '../../src/normalize/dictionaries.js';

const REGISTER_STATUSES = new Set(['未脱贫', '已脱贫', '返贫']);

/**
 * A monitored household that never was a registered 贫困户 (边缘易致贫户, 突发严重困难户, or a bare
 * 监测对象): no 贫困户属性, no 结对帮扶, none of the status/year rules. A 脱贫不稳定户 was one.
 */
export function neverRegisteredPoor(v: Pick<HouseholdFields, 'status' | 'monitoringType'>): boolean {
  if (v.status !== undefined && REGISTER_STATUSES.has(v.status)) return false;
  if (v.monitoringType !== undefined) return v.monitoringType !== '脱贫不稳定户';
  return v.status !== undefined && MONITORING_STATUSES.has(v.status) && v.status !== '脱贫不稳定户';
}

/** The household is under monitoring (its status or its category says so). */
export function isMonitored(v: Pick<HouseholdFields, 'status' | 'monitoringType'>): boolean {
  return v.monitoringType !== undefined || (v.status !== undefined && MONITORING_STATUSES.has(v.status));
}

export { monitoringLabel } from '../../src/normalize/dictionaries.js';
