// The tool never reads files it wrote: a 整改台账 or 检验核查 workbook written by qingxi (its
// document properties name qingxi as creator, which Excel and WPS keep when a clerk saves it) is
// recognised before reading and skipped with a note, so `--out` inside the input folder cannot feed
// a run's own findings back into the next run.
import yauzl from 'yauzl';

/** The creator qingxi's output workbooks carry (src/outputs/workbook.ts newWorkbookWriter). */
export const OUTPUT_CREATOR = 'qingxi';

const CORE_XML_MAX = 64 * 1024;

/** True when `path` is an xlsx whose docProps/core.xml names qingxi as its creator. Never throws. */
export function isOwnWorkbook(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return resolve(false);
      let done = false;
      const finish = (v: boolean): void => {
        if (done) return;
        done = true;
        zip.close();
        resolve(v);
      };
      zip.on('error', () => finish(false));
      zip.on('end', () => finish(false));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'docProps/core.xml' || entry.uncompressedSize > CORE_XML_MAX) return zip.readEntry();
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return finish(false);
          const chunks: Buffer[] = [];
          let n = 0;
          stream.on('data', (c: Buffer) => {
            n += c.length;
            if (n > CORE_XML_MAX) stream.destroy();
            else chunks.push(c);
          });
          stream.on('error', () => finish(false));
          stream.on('close', () => {
            const xml = Buffer.concat(chunks).toString('utf8');
            const m = /<dc:creator>([^<]*)<\/dc:creator>/.exec(xml);
            finish(m?.[1]?.trim() === OUTPUT_CREATOR);
          });
        });
      });
      zip.readEntry();
    });
  });
}
