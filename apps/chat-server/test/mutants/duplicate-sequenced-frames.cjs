/* global require -- CommonJS: loaded with NODE_OPTIONS=--require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
/** Mutant: every sequenced frame (stream event) is sent twice. */
require('./wire-mutant.cjs').mutateServerFrames((out) => {
  if (out.sequenced) out.duplicate();
  out.deliver();
});
