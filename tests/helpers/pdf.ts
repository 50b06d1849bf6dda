// Measure printed pages: page count (pdfinfo) and the printed size of CJK text per page
// (pdftotext -bbox). A CJK character is a full-width square, so a word of n CJK characters is
// n × the font size wide as printed — whatever scaling the spreadsheet program applied.
import { runProgram } from './programs.js';

export interface PdfWord {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PdfPage {
  width: number;
  height: number;
  words: PdfWord[];
  text: string;
}

export async function pdfPageCount(pdf: string): Promise<number> {
  const info = await runProgram('pdfinfo', [pdf]);
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}

export async function pdfPages(pdf: string): Promise<PdfPage[]> {
  const html = await runProgram('pdftotext', ['-bbox', pdf, '-']);
  const pages: PdfPage[] = [];
  for (const m of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words: PdfWord[] = [];
    for (const w of m[3]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      words.push({ x0: Number(w[1]), y0: Number(w[2]), x1: Number(w[3]), y1: Number(w[4]), text: decode(w[5]!) });
    }
    pages.push({ width: Number(m[1]), height: Number(m[2]), words, text: words.map((w) => w.text).join(' ') });
  }
  return pages;
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

const CJK_WORD = /^[\u4e00-\u9fff]{2,}$/;

/**
 * Printed font sizes (points) of the pure-CJK words of a page's body (between the page header
 * and footer bands), one per word.
 */
export function cjkWordSizes(page: PdfPage, band = { top: 45, bottom: 45 }): number[] {
  return page.words
    .filter((w) => CJK_WORD.test(w.text) && w.y0 > band.top && w.y1 < page.height - band.bottom)
    .map((w) => (w.x1 - w.x0) / [...w.text].length);
}
