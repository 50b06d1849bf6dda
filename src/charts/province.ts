// Charts of the provincial report (nightly): a trend line over runs and a small sparkline for table
// rows. Bars (township ranking, top rules) use barChart from bar.ts.
import { renderOptionToSvg } from './echarts-svg.js';

export interface LineSeries {
  name: string;
  /** one per category; null leaves a gap (no data that night) */
  values: (number | null)[];
  color?: string;
}

export interface LineChartSpec {
  title: string;
  categories: string[];
  series: LineSeries[];
  width?: number;
  height?: number;
  valueName?: string;
}

/** A line chart over runs (dates along the bottom). */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 320;
  if (spec.categories.length === 0) {
    return renderOptionToSvg(
      {
        title: { text: spec.title, left: 'center', textStyle: { fontSize: 15 } },
        graphic: { type: 'text', left: 'center', top: 'middle', style: { text: '暂无数据', fontSize: 14, fill: '#888' } },
      },
      { width, height: 160 },
    );
  }
  return renderOptionToSvg(
    {
      title: { text: spec.title, left: 'center', top: 4, textStyle: { fontSize: 15 } },
      // the legend sits under the x axis: above, it would crowd the title
      legend: spec.series.length > 1 ? { bottom: 4, data: spec.series.map((s) => s.name) } : undefined,
      grid: { left: 60, right: 30, top: 48, bottom: spec.series.length > 1 ? 84 : 56 },
      xAxis: { type: 'category', data: spec.categories, boundaryGap: false, axisLabel: { fontSize: 11, rotate: spec.categories.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', name: spec.valueName ?? '', minInterval: 1, axisLabel: { fontSize: 11 } },
      series: spec.series.map((s) => ({
        type: 'line',
        name: s.name,
        data: s.values,
        connectNulls: false,
        symbolSize: 5,
        itemStyle: s.color ? { color: s.color } : undefined,
        lineStyle: { width: 2 },
        label: spec.categories.length <= 10 ? { show: true, fontSize: 10 } : undefined,
      })),
    },
    { width, height },
  );
}

/** A small trend line without axes, for a table cell. */
export function sparkline(values: (number | null)[], opts: { width?: number; height?: number; color?: string } = {}): string {
  return renderOptionToSvg(
    {
      grid: { left: 2, right: 2, top: 3, bottom: 3 },
      xAxis: { type: 'category', show: false, boundaryGap: false, data: values.map((_, i) => String(i)) },
      yAxis: { type: 'value', show: false, min: 0 },
      series: [{ type: 'line', data: values, symbol: 'none', connectNulls: false, lineStyle: { width: 1.5, color: opts.color ?? '#d9534f' }, areaStyle: { opacity: 0.12, color: opts.color ?? '#d9534f' } }],
    },
    { width: opts.width ?? 140, height: opts.height ?? 32 },
  );
}
