// A JSON file a person edited (config, accepted exceptions) that does not parse: where, in Chinese.

/**
 * A JSON syntax error as the line and column a person sees in an editor. V8 gives a character
 * position ("… at position 45"); without one the error is at the end of the text.
 */
export function jsonSyntaxError(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  const ch = text[pos];
  const at = pos >= text.length ? '文件在此意外结束（可能少了 } 或 ]）' : `这里出现了“${ch === '\n' ? '换行' : ch}”`;
  return `第 ${line} 行第 ${column} 列有语法错误：${at}。常见原因：多了或少了英文逗号、引号不配对、用了中文标点（，：“”）。`;
}
