// Instruction and example rows of import templates: right under the header, before the first data
// row, a template explains how to fill each column (必填, 格式:YYYY-MM-DD, code lists such as
// `01:户主 02:配偶`, 填写说明) or shows a filled example (示例 | 张三 | …). They are their own row
// bucket, never data (SPEC §2).
import { normalizeText } from '../normalize/text.js';
import type { RawCell } from './types.js';

/** A cell that only an instruction row holds. */
const INSTRUCTION_CELL = [
  /^(示例|样例|举例|范例|例如|例子|填写示例|填报示例|填写样例|示范)(\s|[:：、,，(（]|$)/,
  /^例[:：]/,
  /(^|[(（【\[\s])(必填|选填|非必填|必录|选录|可不填|可为空|不可为空|必须填写)([)）】\]\s,，;；:：]|$)/,
  /^(填写说明|填表说明|填报说明|说明[:：]|注[:：]|备注[:：]|提示[:：])/,
  /格式[:：为]|YYYY|yyyy|MM-DD|mm-dd|\d+位数字|[0-9]{1,2}位(数字|字符)/,
  /^(请填写|请选择|请输入|下拉选择|从下拉|下拉框|按代码填写|填写代码|填代码|文本格式|日期格式|数字格式)/,
  // how to fill the column: 只能填写是/否, 按实际单位名称填写, 正常填写帮扶责任人姓名, 填写身份证号码…
  /(只能填写|只能选择|按实际.{0,8}填写|正常填写|如实填写|填写.{0,10}(号码|名称|姓名|日期|代码|选项)|以下选项)/,
  /^(文本|字符|字符串|日期|数字|数值|整数|小数|代码|下拉|text|date|number|varchar|char|int)(\(\d+\))?$/i,
];

/** A code list: `01:户主 02:配偶`, `1-男，2-女`, `1=是 0=否` (two or more code–label pairs). */
const CODE_LIST = /(^|[\s,，;；、])\d{1,3}\s*[:：=\-－.、]\s*[\u4e00-\u9fff][^\d]*[\s,，;；、]+\d{1,3}\s*[:：=\-－.、]\s*[\u4e00-\u9fff]/;

function cellString(c: RawCell): string {
  return typeof c === 'string' ? normalizeText(c) : '';
}

/** A column-number row under a printed form's header: 1 2 3 4 … (or 甲 乙 1 2 …, 栏次). */
function isColumnNumbers(texts: string[]): boolean {
  if (texts.some((t) => /^栏次$|^列号$/.test(t))) return true;
  const nums = texts.filter((t) => !/^[甲乙丙丁]$/.test(t));
  if (nums.length < 3 || nums.length < texts.length - 2) return false;
  for (let i = 0; i < nums.length; i++) {
    const m = /^[(（]?(\d{1,3})[)）]?$/.exec(nums[i]!);
    if (!m) return false;
    if (i > 0) {
      const prev = Number(/\d+/.exec(nums[i - 1]!)![0]);
      if (Number(m[1]) !== prev + 1) return false;
    }
  }
  return true;
}

/** An example row says so in a cell of its own (示例 | 张三 | …). */
const EXAMPLE_CELL = /^(示例|样例|举例|范例|例|例如|填写示例|填报示例|填写样例|示范)[:：]?$/;
/** A real ID number in an ID column: the row is a record (a remark such as 未填写 does not make it an instruction). */
const ID_LIKE = /^\d{15}(\d{2}[\dXx])?$/;

/**
 * Is this row (under the header, before any data) an instruction or example row? A cell saying
 * 示例 is enough; otherwise cells only instructions hold (必填, 格式:YYYY-MM-DD, code lists) must be
 * two or at least half of the filled cells, and no ID column may hold a real-looking ID number.
 */
export function isInstructionRow(cells: readonly RawCell[], idCols: readonly number[] = []): boolean {
  let marked = 0;
  let filled = 0;
  let example = false;
  const texts: string[] = [];
  for (const c of cells) {
    const t = typeof c === 'number' && Number.isInteger(c) ? String(c) : cellString(c);
    if (!t) continue;
    texts.push(t);
    filled++;
    if (EXAMPLE_CELL.test(t)) example = true;
    if (CODE_LIST.test(t) || INSTRUCTION_CELL.some((re) => re.test(t))) marked++;
  }
  if (example || isColumnNumbers(texts)) return true;
  // one stray 请选择 left in a record's drop-down column does not make the record an instruction
  if (marked === 0 || (marked < 2 && marked * 2 < filled)) return false;
  for (const col of idCols) {
    const c = cells[col];
    const t = typeof c === 'number' ? String(c) : typeof c === 'string' ? c.trim() : '';
    if (ID_LIKE.test(t)) return false;
  }
  return true;
}
