/* global require -- CommonJS: loaded with NODE_OPTIONS=--require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
/** Mutant: every 7th non-terminal stream event this process sends is lost. */
let nonTerminal = 0;
require('./wire-mutant.cjs').mutateServerFrames((out) => {
  if (out.sequenced && out.frame.type !== 'agent_completed' && ++nonTerminal % 7 === 0) {
    out.drop();
    return;
  }
  out.deliver();
});
