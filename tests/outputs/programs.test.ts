// The system programs the tests spawn are installed (.ci/run); a missing one fails with the package name.
import { describe, expect, it } from 'vitest';
import { requireProgram, SYSTEM_PROGRAMS } from '../helpers/programs.js';

describe('system programs for the tests', () => {
  it('a missing program fails with a message naming what to install, never a skip', () => {
    expect(() => requireProgram('qingxi-no-such-program')).toThrow(/system program "qingxi-no-such-program" is not installed: apt-get install -y qingxi-no-such-program/);
  });
  it('soffice and poppler are installed (apt-get install -y libreoffice-calc poppler-utils)', () => {
    for (const p of ['soffice', 'pdfinfo', 'pdftotext', 'pdftoppm']) {
      expect(SYSTEM_PROGRAMS[p]).toBeDefined();
      expect(() => requireProgram(p)).not.toThrow();
    }
  });
});
