// `qingxi samples --out DIR [--households N] [--seed S] [--format mixed|xlsx|csv]`
import { parseArgs } from 'node:util';
import { generateSamples, MIN_HOUSEHOLDS } from '../samples/generate.js';
import { isValidIsoDate, type CliIo } from './io.js';

export const SAMPLES_USAGE = '用法：qingxi samples --out 输出目录 [--households 户数] [--seed 随机种子] [--format mixed|xlsx|csv] [--as-of YYYY-MM-DD]';

export async function samplesCommand(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        households: { type: 'string' },
        seed: { type: 'string' },
        format: { type: 'string' },
        'as-of': { type: 'string' },
      },
    }));
  } catch (e) {
    io.stderr(`参数错误：${(e as Error).message}\n${SAMPLES_USAGE}\n`);
    return 2;
  }
  if (!values.out) {
    io.stderr(`缺少 --out 输出目录。\n${SAMPLES_USAGE}\n`);
    return 2;
  }
  const households = values.households ? Number(values.households) : undefined;
  const seed = values.seed ? Number(values.seed) : undefined;
  if ((households !== undefined && !(Number.isInteger(households) && households > 0)) || (seed !== undefined && !Number.isInteger(seed))) {
    io.stderr(`--households 应为正整数，--seed 应为整数。\n`);
    return 2;
  }
  // the generator's own bounds, said as bad usage (exit 2) rather than found inside it
  if (households !== undefined && (households < MIN_HOUSEHOLDS || households > 500_000)) {
    io.stderr(`--households 应在 ${MIN_HOUSEHOLDS} 到 500000 之间（样例要埋设各类问题，户数太少放不下）：${households}\n`);
    return 2;
  }
  const asOf = values['as-of'];
  if (asOf !== undefined && (!isValidIsoDate(asOf) || Number(asOf.slice(0, 4)) < 2020)) {
    io.stderr(`--as-of 应为 2020 年或以后的日期，格式 YYYY-MM-DD：${asOf}\n`);
    return 2;
  }
  const format = values.format ?? 'mixed';
  if (format !== 'mixed' && format !== 'xlsx' && format !== 'csv') {
    io.stderr(`--format 只能是 mixed、xlsx 或 csv。\n`);
    return 2;
  }
  const truth = await generateSamples({ outDir: values.out, households, seed, formats: format, asOf: values['as-of'] });
  io.stdout(
    `已生成样例数据：${truth.files.length} 个文件，${truth.households} 户，埋设问题 ${truth.planted.length} 处，` +
      `无问题户 ${truth.cleanHouseholds.length} 户；答案见 ${values.out}/truth.json\n`,
  );
  return 0;
}
