import { describe, expect, it } from 'vitest';
import { normalizePlaceName, normalizeText } from '../../src/normalize/text.js';

describe('normalizePlaceName', () => {
  it('simplifies Traditional names, drops spaces, converts full width', () => {
    expect(normalizePlaceName(' 桃源縣 ')).toBe('桃源县');
    expect(normalizePlaceName('城关 镇')).toBe('城关镇');
    expect(normalizePlaceName('城關鎮\u3000')).toBe('城关镇');
    expect(normalizePlaceName('花园村（社区）')).toBe('花园村(社区)');
  });

  it('keeps 乾 in place names, which OpenCC would turn into 干', () => {
    expect(normalizeText('乾县')).toBe('干县'); // why the place-name variant exists
    expect(normalizePlaceName('乾县')).toBe('乾县');
    expect(normalizePlaceName('乾安縣')).toBe('乾安县');
    expect(normalizePlaceName('余干县')).toBe('余干县');
  });
});
