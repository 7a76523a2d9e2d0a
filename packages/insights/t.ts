import { diagnose } from './src/diagnose.js';
import { loadCorpus } from './src/eval/corpus.js';

const r = loadCorpus().find((r) => r.name === 'healthy-adam-1e-4')!;
const d = diagnose(r);
console.log(
  JSON.stringify(
    d.findings.map((f) => [f.kind, f.evidence]),
    null,
    0,
  ),
  d.verdict,
);
