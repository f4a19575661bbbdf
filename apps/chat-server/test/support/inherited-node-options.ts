/**
 * `NODE_OPTIONS` of the test process, for the server processes tests spawn with an environment
 * of their own: `npm run test:mutants` injects its wire mutants with
 * `NODE_OPTIONS=--require <mutant>`, and they must reach every server a suite starts.
 */
export function inheritedNodeOptions(): { NODE_OPTIONS?: string } {
  const options = process.env.NODE_OPTIONS;
  return options === undefined || options === '' ? {} : { NODE_OPTIONS: options };
}
