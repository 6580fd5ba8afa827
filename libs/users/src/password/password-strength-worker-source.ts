/**
 * The worker's program, as plain JavaScript run with `eval: true`: no worker file has to be
 * found next to the compiled code, so it runs the same under ts-jest, ts-node and `nest build`.
 * The zxcvbn packages are required by the absolute paths the main thread resolved, so the
 * worker finds them whatever the working directory.
 */
export const PASSWORD_STRENGTH_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.modules.core);
const common = require(workerData.modules.common);
const english = require(workerData.modules.english);

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const result = estimator.check(password, userInputs);
    parentPort.postMessage({
      id,
      score: result.score,
      warning: result.feedback.warning || undefined,
    });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

/** Where the worker loads zxcvbn from, resolved here so the main thread never loads it. */
export function passwordStrengthWorkerModules(): Record<'core' | 'common' | 'english', string> {
  return {
    core: require.resolve('@zxcvbn-ts/core'),
    common: require.resolve('@zxcvbn-ts/language-common'),
    english: require.resolve('@zxcvbn-ts/language-en'),
  };
}
