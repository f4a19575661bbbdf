/**
 * Canonical packages must never touch a deprecated path of this project. Any `APPWS_*`
 * deprecation warning raised while their tests run is turned into a thrown error at the call
 * site, so the offending test fails. Other packages' warnings are left alone.
 */
const originalEmitWarning = process.emitWarning.bind(process);

function warningCode(args: unknown[]): string | undefined {
  const [warning, second, third] = args;
  if (warning instanceof Error && 'code' in warning)
    return String((warning as { code: unknown }).code);
  if (second && typeof second === 'object' && 'code' in second) {
    return String((second as { code: unknown }).code);
  }
  if (typeof third === 'string') return third;
  return undefined;
}

process.emitWarning = ((...args: unknown[]) => {
  const code = warningCode(args);
  if (code?.startsWith('APPWS_')) {
    const text = args[0] instanceof Error ? args[0].message : String(args[0]);
    throw new Error(`Deprecated path used by a canonical package (${code}): ${text}`);
  }
  return (originalEmitWarning as (...a: unknown[]) => void)(...args);
}) as typeof process.emitWarning;
