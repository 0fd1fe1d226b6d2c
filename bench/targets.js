'use strict';
/** Issue 13's targets: CPU per record (scenario 1), peak RSS (scenario 2, absolute and over `--about`), start-up. */
const CPU_TARGET_US = 7.5;
const RSS_TARGET_MB = 85;
const RSS_OVER_ABOUT_MB = 15;
const STARTUP_TARGET_MS = 300;

module.exports = { CPU_TARGET_US, RSS_TARGET_MB, RSS_OVER_ABOUT_MB, STARTUP_TARGET_MS };
