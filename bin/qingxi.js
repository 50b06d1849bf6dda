#!/usr/bin/env node
// Entry point of the `qingxi` command (compiled code lives in dist/, built by `npm ci` via prepare).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`qingxi: 内部错误：${err && err.message ? err.message : err}\n`);
    process.exitCode = 3;
  },
);
