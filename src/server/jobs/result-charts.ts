// The result pages' charts, rendered once when a run finishes (in its worker) and kept in
// result.json, so showing a result page never renders a chart on the request thread.
import { barChart, SEVERITY_COLORS } from '../../charts/index.js';
import { FAMILY_ZH, SEVERITY_ZH, type Severity } from '../../model.js';
import type { CheckResultPage, VerifyResultPage } from './result.js';

const SEVERITIES: Severity[] = ['error', 'suspect', 'info'];

export function familyChart(page: Pick<CheckResultPage, 'byFamily'>): string {
  return barChart({
    title: '按问题类别统计',
    categories: page.byFamily.map((b) => FAMILY_ZH[b.family]),
    series: SEVERITIES.map((s) => ({ name: SEVERITY_ZH[s], values: page.byFamily.map((b) => b[s]), color: SEVERITY_COLORS[s] })),
    width: 600,
    height: 300,
    valueName: '问题数',
  });
}

export function villageChart(page: Pick<CheckResultPage, 'villages'>): string {
  const withFindings = page.villages.filter((v) => v.findings > 0);
  const vs = [...withFindings].sort((a, b) => b.findings - a.findings).slice(0, 25);
  return barChart({
    title: vs.length < withFindings.length ? '按村统计问题（问题最多的 25 个村）' : '按村统计问题',
    categories: vs.map((v) => v.village || '未注明村'),
    series: SEVERITIES.map((s) => ({
      name: SEVERITY_ZH[s],
      values: vs.map((v) => (s === 'error' ? v.errors : s === 'suspect' ? v.suspects : v.infos)),
      color: SEVERITY_COLORS[s],
    })),
    horizontal: true,
    width: 600,
  });
}

export function verifyChart(page: Pick<VerifyResultPage, 'villages'>): string {
  return barChart({
    title: '各村整改情况',
    categories: page.villages.map((v) => v.village || '未关联到村'),
    series: [
      { name: '已整改', values: page.villages.map((v) => v.fixed), color: '#4caf50' },
      { name: '已说明', values: page.villages.map((v) => v.explained), color: '#3b7dd8' },
      { name: '未完成', values: page.villages.map((v) => v.open), color: SEVERITY_COLORS.error },
    ],
    horizontal: true,
    width: 640,
  });
}
