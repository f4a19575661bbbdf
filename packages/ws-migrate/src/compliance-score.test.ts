import { describe, expect, it } from 'vitest';
import { complianceScore, formatComplianceLine, formatScore } from './compliance-score.js';

describe('complianceScore', () => {
  it('is compliant files over touching files, as a percentage', () => {
    expect(complianceScore({ touching: 4, compliant: 3 })).toBe(75);
    expect(complianceScore({ touching: 3, compliant: 2 })).toBeCloseTo(66.6667, 3);
    expect(complianceScore({ touching: 5, compliant: 0 })).toBe(0);
    expect(complianceScore({ touching: 5, compliant: 5 })).toBe(100);
  });

  it('is 100 when no file touches the ws packages', () => {
    expect(complianceScore({ touching: 0, compliant: 0 })).toBe(100);
  });
});

describe('formatComplianceLine', () => {
  it('prints one decimal and the counts', () => {
    expect(formatComplianceLine(75, { touching: 4, compliant: 3 })).toBe(
      'Compliance: 75.0% (3 of 4 files)',
    );
    expect(formatComplianceLine(100, { touching: 0, compliant: 0 })).toBe(
      'Compliance: 100.0% (0 of 0 files)',
    );
  });

  it('rounds, but never shows an incomplete migration as 100.0', () => {
    expect(formatScore(200 / 3)).toBe('66.7');
    expect(formatScore((1999 / 2000) * 100)).toBe('99.9');
    expect(formatScore(100)).toBe('100.0');
  });
});
