import { analyse } from './context.js';
import { rawFindings } from './raw-findings.js';
import {
  type CurveKind,
  curveKinds,
  type Finding,
  type RunForDiagnosis,
  type Verdict,
} from './types.js';

export const verdictRule = {
  /**
   * Epochs before the curves are read at all. The smoother spans five epochs; an onset needs
   * two epochs after the lowest smoothed point to show a rise; a reversal rate needs four
   * epoch-to-epoch changes; and on the corpus runs from random weights that later learnt sat
   * at chance for up to four epochs first. Before it, the verdict is "too early to tell".
   */
  minEpochs: 5,
  /** No finding is shown surer than this before `minEpochs` (config smells, a NaN). */
  earlyConfidenceCap: 0.5,
};

const isCurve = (f: Finding) => (curveKinds as readonly string[]).includes(f.kind);
const rank = (k: string) => curveKinds.indexOf(k as CurveKind);

export interface Reading {
  verdict: Verdict;
  /** The findings to show: confirmed curve findings (the verdict's first), then the rest. */
  findings: Finding[];
}

/**
 * Replays the run epoch by epoch, as the tracker sees it: a curve finding is shown once the
 * curves have said it two epochs in a row (divergence at once: a NaN is no noise), and the
 * verdict is the most serious one shown; when none is confirmed, the previous verdict holds and
 * says what the curves now suggest. Pure: the same epochs give the same reading.
 */
export function readVerdict(run: RunForDiagnosis): Reading {
  const all = analyse(run).epochs;
  const raw = new Map<number, Finding[]>();
  const rawAt = (k: number): Finding[] => {
    let r = raw.get(k);
    if (!r) {
      r = rawFindings(analyse({ ...run, epochs: all.slice(0, k) }));
      raw.set(k, r);
    }
    return r;
  };
  const confirmedAt = (k: number): Finding[] => {
    const before = new Set(
      rawAt(k - 1)
        .filter(isCurve)
        .map((f) => f.kind),
    );
    return rawAt(k).filter((f) => isCurve(f) && (before.has(f.kind) || f.kind === 'divergence'));
  };
  const early = (k: number): Reading => ({
    verdict: {
      kind: 'too_early',
      confidence: 0,
      summary: `Too early to tell: ${k} of the ${verdictRule.minEpochs} epochs needed to read the curves.`,
      held: null,
    },
    findings: rawAt(k)
      .filter((f) => !isCurve(f) || f.kind === 'divergence')
      .map((f) => ({ ...f, confidence: Math.min(f.confidence, verdictRule.earlyConfidenceCap) })),
  });
  const next = (k: number, previous: Reading | null): Reading => {
    const now = rawAt(k);
    const others = now.filter((f) => !isCurve(f));
    const confirmed = confirmedAt(k);
    const suggested = now.find(isCurve);
    const epoch = all[k - 1]!.epoch;
    if (confirmed.length > 0) {
      const top = confirmed[0]!;
      return {
        verdict: {
          kind: top.kind as CurveKind,
          confidence: top.confidence,
          summary: `${top.kind.replaceAll('_', ' ')} (confidence ${Math.round(top.confidence * 100)}%)`,
          held:
            suggested && suggested.kind !== top.kind
              ? { kind: suggested.kind as CurveKind, since: epoch }
              : null,
        },
        findings: [...confirmed, ...others],
      };
    }
    const kept = previous?.verdict.kind ?? 'too_early';
    const keptFinding = previous?.findings.find((f) => f.kind === kept && isCurve(f)) ?? null;
    const held = suggested
      ? { kind: suggested.kind as CurveKind, since: epoch }
      : kept === 'too_early' || kept === 'none'
        ? null
        : { kind: 'none' as const, since: epoch };
    const what = suggested ? `suggest ${suggested.kind.replaceAll('_', ' ')}` : 'say nothing';
    return {
      verdict: {
        kind: kept === 'too_early' && !suggested ? 'none' : kept,
        confidence: keptFinding?.confidence ?? 0,
        summary:
          kept === 'too_early'
            ? suggested
              ? `Too early to tell: the curves ${what} at epoch ${epoch}; it shows once a second epoch agrees.`
              : 'Nothing to say: the curves show no sign yet.'
            : kept === 'none'
              ? `Nothing to say yet: the curves ${what}${suggested ? '; it shows once a second epoch agrees' : ''}.`
              : `${kept.replaceAll('_', ' ')} (kept from the epoch before: the curves now ${what}; it changes once a second epoch agrees)`,
        held,
      },
      findings: [...(keptFinding ? [keptFinding] : []), ...others],
    };
  };
  const n = all.length;
  let reading: Reading;
  if (n < verdictRule.minEpochs) {
    reading = early(n);
  } else {
    // The verdict at k depends on the one before only while nothing is confirmed: walk back
    // to the last epoch that decides on its own, then forward.
    let start = n;
    while (start > verdictRule.minEpochs && confirmedAt(start).length === 0) start--;
    reading = next(start, null);
    for (let k = start + 1; k <= n; k++) reading = next(k, reading);
  }
  const findings = [...reading.findings].sort((x, y) => {
    const rx = isCurve(x) ? rank(x.kind) : curveKinds.length;
    const ry = isCurve(y) ? rank(y.kind) : curveKinds.length;
    return rx - ry;
  });
  return { verdict: reading.verdict, findings };
}
