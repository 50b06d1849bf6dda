// Receiving uploaded files (multipart): each file is streamed to disk under the run's inputs/
// folder; type, size and count limits answer with a Chinese message and leave nothing behind.
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { ServeConfig } from '../config.js';
import type { UploadedFile } from '../../store/runs.js';
import { formatBytes } from '../views/layout.js';

export const EXPORT_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.csv'];

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface Received {
  files: UploadedFile[];
  fields: Record<string, string>;
}

/**
 * Where a file is kept: its own numbered folder (two uploads may share a name) and its name made
 * safe on disk but still readable, since findings and 台账 show it as the source.
 */
function diskName(i: number, name: string): string {
  const ext = extname(name).toLowerCase();
  const stem = name.slice(0, name.length - ext.length).replace(/[^\p{L}\p{N}_\-（）()]+/gu, '_').slice(0, 80);
  return `${String(i + 1).padStart(2, '0')}/${stem || '文件'}${ext}`;
}

/** The name as uploaded, without any folder part a browser may send. */
function baseName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? '').trim().slice(0, 200) || '未命名文件';
}

/**
 * Streams every file part into `dir`. `roles` maps a form field name to the file's role.
 * Throws UploadError (and removes `dir`) on a limit or a wrong file type.
 */
export async function receiveFiles(req: FastifyRequest, dir: string, cfg: ServeConfig, roles: Record<string, UploadedFile['role']>): Promise<Received> {
  await mkdir(dir, { recursive: true });
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts({ limits: { fileSize: cfg.maxFileBytes, files: cfg.maxFiles, fields: 20, fieldSize: 10_000 } })) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      const role = roles[part.fieldname];
      const name = baseName(part.filename);
      if (!role || !part.filename) {
        part.file.resume();
        continue;
      }
      const ext = extname(name).toLowerCase();
      const allowed = role === 'corrections' ? ['.xlsx', '.xlsm'] : EXPORT_EXTENSIONS;
      if (!allowed.includes(ext)) {
        part.file.resume();
        throw new UploadError(
          role === 'corrections'
            ? `“${name}”不是整改台账（应为系统生成的 .xlsx 文件）。`
            : `“${name}”不是支持的文件类型：请上传电子表格（.xlsx、.xls）或 .csv 文件。`,
          400,
        );
      }
      const stored = diskName(files.length, name);
      await mkdir(join(dir, stored, '..'), { recursive: true });
      await pipeline(part.file, createWriteStream(join(dir, stored)));
      if (part.file.truncated) {
        throw new UploadError(`文件“${name}”超过 ${formatBytes(cfg.maxFileBytes)} 的上限，未能上传。请拆分后再上传，或联系管理员调整上限。`, 413);
      }
      files.push({ name, stored, bytes: part.file.bytesRead, role });
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if (e instanceof UploadError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT_ERROR' || code === 'FST_FILES_LIMIT') {
      throw new UploadError(`一次最多上传 ${cfg.maxFiles} 个文件，请分批上传。`, 413);
    }
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new UploadError(`有文件超过 ${formatBytes(cfg.maxFileBytes)} 的上限，未能上传。请拆分后再上传，或联系管理员调整上限。`, 413);
    }
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new UploadError('请通过页面上的上传按钮选择文件。', 400);
    throw new UploadError('上传中断，请重试。', 400);
  }
  return { files, fields };
}
