/* global require -- CommonJS: loaded with NODE_OPTIONS=--require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
/** Mutant: every 10th stream event this process sends also goes to another user's socket. */
let events = 0;
require('./wire-mutant.cjs').mutateServerFrames((out) => {
  out.deliver();
  if (out.sequenced && ++events % 10 === 0) {
    const owner = out.info.userId;
    out.copyTo((info) => info.userId !== undefined && info.userId !== owner);
  }
});
