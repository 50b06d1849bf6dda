// Bar charts of finding counts (by family, by village, by township): the same SVGs go into the
// clerk's result page and the provincial report.
import { renderOptionToSvg } from './echarts-svg.js';

export interface BarSeries {
  name: string; // legend label, e.g. 错误
  values: number[]; // one per category
  color?: string;
}

export interface BarChartSpec {
  title: string;
  categories: string[];
  series: BarSeries[];
  /** horizontal bars (categories down the left): better for long village names; default false */
  horizontal?: boolean;
  /** bars of several series stacked (default true when there is more than one series) */
  stacked?: boolean;
  width?: number;
  height?: number;
  /** axis name for the counts, e.g. 问题数 */
  valueName?: string;
}

/** Severity colours used across pages and workbooks: error red, suspect yellow, info blue. */
export const SEVERITY_COLORS = { error: '#d9534f', suspect: '#e0a800', info: '#3b7dd8' } as const;

const DEFAULT_COLORS = ['#3b7dd8', '#d9534f', '#e0a800', '#4caf50', '#8e44ad', '#16a085', '#7f8c8d'];

/** A bar chart as an SVG string. Empty categories give a chart that says 暂无数据. */
export function barChart(spec: BarChartSpec): string {
  const horizontal = spec.horizontal ?? false;
  const width = spec.width ?? 640;
  const longest = spec.categories.reduce((m, c) => Math.max(m, c.length), 0);
  const height = spec.height ?? (horizontal ? Math.max(220, 80 + spec.categories.length * 26) : 320);
  const stacked = spec.stacked ?? spec.series.length > 1;
  if (spec.categories.length === 0) {
    return renderOptionToSvg(
      {
        title: { text: spec.title, left: 'center', textStyle: { fontSize: 15 } },
        graphic: { type: 'text', left: 'center', top: 'middle', style: { text: '暂无数据', fontSize: 14, fill: '#888' } },
      },
      { width, height: 160 },
    );
  }
  const categoryAxis = {
    type: 'category' as const,
    data: spec.categories,
    inverse: horizontal, // first category on top when horizontal
    axisLabel: horizontal ? { fontSize: 12 } : { fontSize: 12, interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 },
  };
  const valueAxis = { type: 'value' as const, name: spec.valueName ?? '', minInterval: 1, axisLabel: { fontSize: 11 } };
  const option = {
    // explicit positions: ECharts 6's defaults put the legend over a title
    title: { text: spec.title, left: 'center', top: 6, textStyle: { fontSize: 15 } },
    legend: spec.series.length > 1 ? { top: 36, data: spec.series.map((s) => s.name) } : undefined,
    grid: {
      left: horizontal ? Math.min(200, 20 + longest * 13) : 50,
      right: 30,
      top: spec.series.length > 1 ? 76 : 48,
      bottom: horizontal ? 30 : spec.categories.length > 6 ? 80 : 40,
      containLabel: false,
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((s, i) => ({
      type: 'bar' as const,
      name: s.name,
      data: s.values,
      stack: stacked ? 'total' : undefined,
      itemStyle: { color: s.color ?? DEFAULT_COLORS[i % DEFAULT_COLORS.length] },
      label: spec.series.length === 1 ? { show: true, position: horizontal ? 'right' : 'top', fontSize: 11 } : undefined,
      barMaxWidth: 36,
    })),
  };
  return renderOptionToSvg(option, { width, height });
}
