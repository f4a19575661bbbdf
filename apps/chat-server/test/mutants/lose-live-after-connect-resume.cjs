/* global require -- CommonJS: loaded with NODE_OPTIONS=--require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
/**
 * Mutant: on connections opened with `?lastSeq=` (a connect-time resume), every 4th live stream
 * event after `resumed` is lost.
 */
require('./wire-mutant.cjs').mutateServerFrames((out) => {
  const resumedAtConnect = /[?&]lastSeq=/.test(out.info.url);
  if (resumedAtConnect && out.sequenced && out.info.resumed && out.info.liveEvents % 4 === 0) {
    out.drop();
    return;
  }
  out.deliver();
});
