// Server-side charts (SVG strings) for web pages and reports.
export { barChart, SEVERITY_COLORS, type BarChartSpec, type BarSeries } from './bar.js';
export { renderOptionToSvg, CHART_FONT_FAMILY, type ChartSize } from './echarts-svg.js';
