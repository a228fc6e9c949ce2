const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const known = require('./slow-tests.json');

/**
 * Runs the longest test files first, so that on two workers no long file starts near the end
 * while the other worker sits idle. A file's time is what Jest measured in an earlier run on
 * this machine (its cache), else the committed estimate in slow-tests.json (seconds, from a
 * full run; a fresh clone in CI has no cache), else it counts as short. Equal times keep
 * Jest's own order (bigger files first).
 */
const root = path.resolve(__dirname, '..', '..');

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const estimate = (test) => {
      const cached = this._getCache(test)[test.path];
      if (cached) return cached[1];
      const seconds = known[path.relative(root, test.path).split(path.sep).join('/')];
      return seconds === undefined ? 0 : seconds * 1000;
    };
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    for (const test of tests) test.duration = estimate(test);
    return [...tests].sort((a, b) => b.duration - a.duration || size(b) - size(a));
  }
}

module.exports = LongestFirstSequencer;
