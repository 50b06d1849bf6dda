// `qingxi samples --out DIR [--households N] [--seed S] [--format mixed|xlsx|csv]`
import { parseCommandLine } from './args.js';
import { UsageError } from '../core/errors.js';
import { generateSamples, MIN_HOUSEHOLDS } from '../samples/generate.js';
import { isValidIsoDate, type CliIo } from './io.js';

export const SAMPLES_USAGE = `用法：qingxi samples --out 输出目录 [选项]
生成带有已知问题的模拟导出数据（演示、测试用），答案写在 truth.json。
选项：
  --out, -o 目录           写入的文件夹（必填）
  --households 户数        户数（默认 120）
  --seed 随机种子          同一种子生成完全相同的数据
  --format mixed|xlsx|csv  文件格式（默认 mixed：xlsx 和 csv 混合）
  --as-of YYYY-MM-DD       数据截止日期
  --help, -h               显示本说明`;

export async function samplesCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      out: { type: 'string', short: 'o' },
      households: { type: 'string' },
      seed: { type: 'string' },
      format: { type: 'string' },
      'as-of': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    SAMPLES_USAGE,
  );
  if (parsed.positionals.length > 0) throw new UsageError(`参数错误：samples 不需要路径参数：${parsed.positionals.join(' ')}`, { usage: SAMPLES_USAGE });
  const values = parsed.values as { out?: string; households?: string; seed?: string; format?: string; 'as-of'?: string; help?: boolean };
  if (values.help) {
    io.stdout(SAMPLES_USAGE + '\n');
    return 0;
  }
  if (!values.out) throw new UsageError(`缺少 --out 输出目录。`, { usage: SAMPLES_USAGE });
  const households = values.households ? Number(values.households) : undefined;
  const seed = values.seed ? Number(values.seed) : undefined;
  if ((households !== undefined && !(Number.isInteger(households) && households > 0)) || (seed !== undefined && !Number.isInteger(seed))) {
    throw new UsageError(`--households 应为正整数，--seed 应为整数。`);
  }
  // the generator's own bounds, said as bad usage (exit 2) rather than found inside it
  if (households !== undefined && (households < MIN_HOUSEHOLDS || households > 500_000)) {
    throw new UsageError(`--households 应在 ${MIN_HOUSEHOLDS} 到 500000 之间（样例要埋设各类问题，户数太少放不下）：${households}`);
  }
  const asOf = values['as-of'];
  if (asOf !== undefined && (!isValidIsoDate(asOf) || Number(asOf.slice(0, 4)) < 2020)) {
    throw new UsageError(`--as-of 应为 2020 年或以后的日期，格式 YYYY-MM-DD：${asOf}`);
  }
  const format = values.format ?? 'mixed';
  if (format !== 'mixed' && format !== 'xlsx' && format !== 'csv') throw new UsageError(`--format 只能是 mixed、xlsx 或 csv。`);
  const truth = await generateSamples({ outDir: values.out, households, seed, formats: format, asOf: values['as-of'] });
  io.stdout(
    `已生成样例数据：${truth.files.length} 个文件，${truth.households} 户，埋设问题 ${truth.planted.length} 处，` +
      `无问题户 ${truth.cleanHouseholds.length} 户；答案见 ${values.out}/truth.json\n`,
  );
  return 0;
}
