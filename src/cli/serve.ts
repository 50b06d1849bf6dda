// `qingxi serve [--port 8080] [--host 127.0.0.1] [--data DIR] [--secure-cookies] [--trust-proxy]
//  [--retention-days N] [--max-file-mb N] [--max-files N] [--workers N] [--reset-admin]`: the web page for clerks.
import { parseCommandLine } from './args.js';
import { UsageError } from '../core/errors.js';
import { createServer } from '../server/app.js';
import { defaultServeConfig, type ServeConfig } from '../server/config.js';
import type { CliIo } from './io.js';

export const SERVE_USAGE = `用法：qingxi serve [--port 8080] [--host 127.0.0.1] [--data 目录]
       [--secure-cookies] [--trust-proxy] [--retention-days 30] [--max-file-mb 50] [--max-files 20] [--workers 2]
       [--reset-admin]
数据（数据库、上传的文件、结果）保存在 --data 目录，默认 reports/serve/。
放在 HTTPS 反向代理之后时加 --secure-cookies --trust-proxy。
--reset-admin：管理员密码遗失时，为 admin 生成新的一次性密码并显示一次。`;

function positiveInt(v: string | undefined, name: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`参数错误：${name} 应为不小于 ${min} 的整数：${v}`, { usage: SERVE_USAGE });
  return n;
}

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommandLine(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'secure-cookies': { type: 'boolean' },
      'trust-proxy': { type: 'boolean' },
      'retention-days': { type: 'string' },
      'max-file-mb': { type: 'string' },
      'max-files': { type: 'string' },
      workers: { type: 'string' },
      'reset-admin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    SERVE_USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`参数错误：不认识的参数：${positionals.join(' ')}`, { usage: SERVE_USAGE });
  const values = v as Partial<Record<'port' | 'host' | 'data' | 'retention-days' | 'max-file-mb' | 'max-files' | 'workers', string>> &
    Partial<Record<'secure-cookies' | 'trust-proxy' | 'reset-admin' | 'help', boolean>>;
  if (values.help) {
    io.stdout(SERVE_USAGE + '\n');
    return 0;
  }
  const config: ServeConfig = defaultServeConfig(values.data);
  if (values.host) config.host = values.host;
  config.port = positiveInt(values.port, '--port', 0) ?? config.port;
  config.secureCookies = values['secure-cookies'] ?? false;
  config.trustProxy = values['trust-proxy'] ?? false;
  config.retentionDays = positiveInt(values['retention-days'], '--retention-days') ?? config.retentionDays;
  const mb = positiveInt(values['max-file-mb'], '--max-file-mb');
  if (mb) config.maxFileBytes = mb * 1024 * 1024;
  config.maxFiles = positiveInt(values['max-files'], '--max-files') ?? config.maxFiles;
  config.concurrentChecks = positiveInt(values.workers, '--workers') ?? config.concurrentChecks;
  const resetAdmin = values['reset-admin'] ?? false;
  const server = await createServer(config, io.logger, { resetAdmin });
  if (server.adminPassword) io.stdout(`管理员账号：admin  一次性密码：${server.adminPassword}\n`);
  const address = await server.app.listen({ port: config.port, host: config.host });
  io.stdout(`服务已启动：${address}（数据目录 ${config.dataDir}）。按 Ctrl+C 停止。\n`);
  io.logger.info({ event: 'serve_started', address, dataDir: config.dataDir }, 'serve started');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  io.stdout('服务已停止。\n');
  return 0;
}
