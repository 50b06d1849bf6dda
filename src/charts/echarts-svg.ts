// ECharts rendered on the server to an SVG string (no DOM, no browser, no network). The SVG names
// system CJK fonts only, so a page or a PDF shows it with the fonts installed on the machine.
import * as echarts from 'echarts';

/** Fonts the SVG asks for, in order; all are local system fonts (fonts-noto-cjk on Debian). */
export const CHART_FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

export interface ChartSize {
  width: number;
  height: number;
}

/** Renders one ECharts option to a standalone SVG string. Animation is off: the SVG is the final frame. */
export function renderOptionToSvg(option: echarts.EChartsCoreOption, size: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT_FAMILY }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
