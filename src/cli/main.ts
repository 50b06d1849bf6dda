// The `qingxi` command: dispatch to one file per command. Exit codes (SPEC §4): 0 done, 1 done and
// --fail-on matched, 2 bad usage or unusable input, 3 internal failure. A command parses its options,
// calls the library and prints; bad usage or unusable input anywhere below is a UsageError, caught here
// once: its Chinese message (and the command's usage, for option mistakes) on stderr, exit 2.
import { createLogger, maskSensitive } from '../log.js';
import type { CliIo } from './io.js';
import { nearest } from '../i18n/suggest.js';
import { OutputError } from '../outputs/atomic.js';
import { UsageError } from '../core/errors.js';

const USAGE = `qingxi — 扶贫数据清洗
用法：
  qingxi check 路径… --out 目录 [--as-of 日期] [--config 文件] [--split township|village]
               [--fail-on error|suspect] [--accepted 文件] [--json] [--concurrency 数量]
  qingxi verify --corrections 台账… 路径… --out 目录 [--as-of 日期] [--config 文件] [--accepted 文件] [--json]
  qingxi samples --out 目录 [--households 户数] [--seed 种子] [--format mixed|xlsx|csv] [--as-of 日期]
  qingxi rules [--explain] [--json]
  qingxi inspect 路径… [--config 文件] [--json]
  qingxi serve [--port 8080] [--host 127.0.0.1] [--data 目录]
  qingxi nightly --inbox 收件箱 --out 目录 [--db 账本文件] [--as-of 日期] [--threads 数量]
  qingxi ledger status|history 指纹|export --db 账本文件
每个命令加 --help 显示各选项的说明，例如 qingxi check --help。
退出码：0 完成；1 完成且命中 --fail-on；2 用法错误或输入无法使用；3 内部错误。`;

const COMMANDS = ['check', 'verify', 'samples', 'rules', 'inspect', 'serve', 'nightly', 'ledger', 'help'];

// Each command's module is loaded when it is called: a check does not load the web server, the
// ledger's SQLite or the chart renderer (~0.3 s of start-up, counted in every terminal run).
export async function main(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const isTTY = io?.isTTY ?? Boolean(process.stderr.isTTY);
  const full: CliIo = {
    stdout: io?.stdout ?? ((s) => process.stdout.write(s)),
    // every stderr line is masked like a log line (a path or message may hold an ID number or phone)
    stderr: ((write: (s: string) => unknown) => (s: string) => write(maskSensitive(s)))(io?.stderr ?? ((s) => process.stderr.write(s))),
    // on a terminal keep stderr for the progress line unless asked for logs
    logger: io?.logger ?? createLogger({ level: process.env['QINGXI_LOG_LEVEL'] ?? (isTTY ? 'warn' : 'info') }),
    isTTY,
  };
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'check':
        return await (await import('./check.js')).checkCommand(rest, full);
      case 'verify':
        return await (await import('./verify.js')).verifyCommand(rest, full);
      case 'samples':
        return await (await import('./samples.js')).samplesCommand(rest, full);
      case 'rules':
        return await (await import('./rules.js')).rulesCommand(rest, full);
      case 'inspect':
        return await (await import('./inspect.js')).inspectCommand(rest, full);
      case 'serve':
        return await (await import('./serve.js')).serveCommand(rest, full);
      case 'nightly':
        return await (await import('./nightly.js')).nightlyCommand(rest, full);
      case 'ledger':
        return await (await import('./ledger.js')).ledgerCommand(rest, full);
      case undefined:
        full.stderr(`缺少命令：请在 qingxi 后面写要做的事（check 检查、verify 检验核查、samples 生成样例、rules 规则列表）。\n${USAGE}\n`);
        return 2;
      case '-h':
      case '--help':
      case 'help':
        full.stdout(USAGE + '\n');
        return 0;
      default: {
        const hint = nearest(cmd, COMMANDS);
        full.stderr(`不认识的命令：${cmd}${hint ? `，您是不是要输入 ${hint}？` : ''}\n${USAGE}\n`);
        return 2;
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      full.logger.info({ event: 'refused', command: cmd, kind: e.name, err: e.message }, 'bad usage or unusable input');
      full.stderr([e.message, e.usage].filter(Boolean).join('\n') + '\n');
      return 2;
    }
    if (e instanceof OutputError) {
      // a full disk or a folder taken away while writing: the failure of this run, said plainly
      full.logger.error({ event: 'output_failed', code: e.code }, 'writing outputs failed');
      full.stderr(e.message + '\n');
      return 3;
    }
    full.logger.error({ event: 'internal_error', err: (e as Error).message, stack: (e as Error).stack }, 'internal error');
    full.stderr(`内部错误：${(e as Error).message}\n`);
    return 3;
  }
}
