/**
 * Diagnoses every real run of the corpus (packages/insights/corpus) and prints how often the
 * verdict matches the label, the onset error, the live replay with its false alarms and the
 * calibration of the confidence.  pnpm --filter @trainbook/insights eval
 */
import { loadCorpus } from '../src/eval/corpus.js';
import { measureRun, report } from '../src/eval/measure.js';

const results = loadCorpus().map(measureRun);
console.log(report(results));
