import { describe, expect, it } from 'vitest';
import { barChart, CHART_FONT_FAMILY } from '../../src/charts/index.js';

describe('barChart (ECharts SSR to SVG)', () => {
  it('renders a standalone SVG with the Chinese labels, the values and local fonts only', () => {
    const svg = barChart({
      title: '按村统计问题',
      categories: ['司门前村', '石门村'],
      series: [{ name: '问题数', values: [17, 4] }],
      horizontal: true,
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('按村统计问题');
    expect(svg).toContain('司门前村');
    expect(svg).toContain('>17<');
    expect(svg).toContain(CHART_FONT_FAMILY.split(',')[0]!);
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no CDN, no web font
  });

  it('says 暂无数据 when there is nothing to draw', () => {
    const svg = barChart({ title: '按类别统计问题', categories: [], series: [] });
    expect(svg).toContain('暂无数据');
  });

  it('stacks several series with a legend', () => {
    const svg = barChart({
      title: '按类别',
      categories: ['身份信息', '结对关系'],
      series: [{ name: '错误', values: [3, 1] }, { name: '疑似', values: [2, 0] }],
    });
    expect(svg).toContain('错误');
    expect(svg).toContain('疑似');
  });
});
