/**
 * Jest's default reporter, minus the console output of test files that passed: a green run reads as one line per
 * file and the summary, and what a failing file printed (the tap's stderr a test logged, the figures it measured)
 * is shown with its failure, where it helps. (CommonJS: jest loads reporters without the ts-jest transform.)
 */
const { DefaultReporter } = require(require.resolve('@jest/reporters', { paths: [require.resolve('jest')] }));

class QuietReporter extends DefaultReporter {
  onTestResult(test, result, aggregatedResults) {
    if (result.numFailingTests === 0 && !result.testExecError) result.console = undefined;
    super.onTestResult(test, result, aggregatedResults);
  }
}

module.exports = QuietReporter;
