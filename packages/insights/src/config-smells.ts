import type { Analysis } from './context.js';
import type { Finding } from './types.js';

/** Usual learning-rate ranges per optimiser, as Keras users meet them. */
export const usualLearningRates: Record<string, [number, number]> = {
  rmsprop: [1e-5, 1e-2],
  adam: [1e-5, 1e-2],
  sgd: [1e-4, 1e-1],
};

export function detectConfigSmells(a: Analysis): Finding[] {
  const findings: Finding[] = [];
  if (a.run.weights === 'imagenet' && a.run.preprocessing === 'unit') {
    findings.push({
      kind: 'preprocessing_mismatch',
      severity: 'warning',
      onsetEpoch: null,
      evidence: { weights: 'imagenet', preprocessing: 'unit' },
      confidence: 0.9,
      explanation:
        "The ImageNet weights were trained on 'caffe' inputs (BGR, mean pixel subtracted, 0–255), but this run fed them x / 255. The frozen layers then see images unlike any they learned from, which wastes much of what transfer learning offers.",
      suggestedTag: 'preprocessing-mismatch',
      nextSteps: [
        {
          flags: '--preprocessing caffe',
          why: "Keras' own preprocess_input for VGG16",
          expect: 'validation accuracy far higher from the first epoch',
        },
      ],
    });
  }
  const range = a.optimizer ? usualLearningRates[a.optimizer] : undefined;
  if (range && a.lr !== null && (a.lr < range[0] || a.lr > range[1])) {
    const [low, high] = range;
    findings.push({
      kind: 'learning_rate_out_of_range',
      severity: 'warning',
      onsetEpoch: null,
      evidence: { optimizer: a.optimizer, lr: a.lr, usualLow: low, usualHigh: high },
      confidence: 0.7,
      explanation: `A learning rate of ${a.lr} is ${a.lr > high ? 'above' : 'below'} the range where ${a.optimizer} usually works (${low} to ${high}).`,
      suggestedTag: 'lr-out-of-range',
      nextSteps: [
        {
          flags: `--lr ${a.lrTimes(a.lr > high ? 0.1 : 10)}`,
          why: 'a value inside the usual range',
          expect:
            a.lr > high
              ? 'the training loss falls steadily instead of jumping about'
              : 'the training loss falls faster in the first epochs',
        },
      ],
    });
  }
  const overlap = Number(a.env.validationOverlap ?? 0);
  if (a.params.validation === 'train' || overlap > 0) {
    findings.push({
      kind: 'validation_overlap',
      severity: 'problem',
      onsetEpoch: null,
      evidence: { validation: String(a.params.validation ?? ''), overlappingImages: overlap },
      confidence: 0.95,
      explanation:
        'Some validation images are also training images, so validation accuracy measures memory, not generalisation: it will look better than the model is.',
      suggestedTag: 'validation-overlap',
      nextSteps: [
        {
          flags: '--validation test',
          why: 'the CIFAR-10 test set shares no image with the training set',
          expect: 'a lower, honest validation accuracy',
        },
        {
          flags: '--validation 0.1',
          why: 'or hold out a disjoint tenth of the training set',
          expect: 'a lower, honest validation accuracy',
        },
      ],
    });
  }
  return findings;
}
