import { describe, expect, it } from 'vitest';
import { applyTransforms, checkAugmentation, drawTransforms, isFlipOnly } from './augment.js';
import { seededRandom } from './shuffle.js';

/** Two 3×2 one-channel images; pixel values name their position (image·10 + y·3 + x + 1). */
const shape: [number, number, number] = [2, 3, 1];
const pixels = () => Uint8Array.from([1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16]);

describe('augmentation', () => {
  it('flips left-right and shifts with zeros filling in, image by image', () => {
    const flipped = pixels();
    applyTransforms(flipped, shape, [
      { flip: true, dx: 0, dy: 0 },
      { flip: false, dx: 0, dy: 0 },
    ]);
    expect(Array.from(flipped)).toEqual([3, 2, 1, 6, 5, 4, 11, 12, 13, 14, 15, 16]);
    const shifted = pixels();
    applyTransforms(shifted, shape, [
      { flip: false, dx: 1, dy: 1 },
      { flip: true, dx: -1, dy: 0 },
    ]);
    expect(Array.from(shifted)).toEqual([0, 0, 0, 0, 1, 2, 12, 11, 0, 15, 14, 0]);
  });

  it('draws one flip per image, then offsets within ±shift', () => {
    const flips = drawTransforms({ flip: true }, 2000, seededRandom(1));
    const share = flips.filter((t) => t.flip).length / 2000;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    expect(flips.every((t) => t.dx === 0 && t.dy === 0)).toBe(true);
    const shifts = drawTransforms({ shift: 2 }, 2000, seededRandom(2));
    const offsets = new Set(shifts.flatMap((t) => [t.dx, t.dy]));
    expect([...offsets].sort()).toEqual([-1, -2, 0, 1, 2]);
    expect(shifts.some((t) => t.flip)).toBe(false);
    expect(isFlipOnly({ flip: true })).toBe(true);
    expect(isFlipOnly({ flip: true, shift: 1 })).toBe(false);
  });

  it('names a shift that is not whole pixels inside the image', () => {
    expect(() => checkAugmentation({ shift: 32 }, [32, 32, 3])).toThrow(
      'augment.shift: expected whole pixels 0 … 31, got 32',
    );
    expect(() => checkAugmentation({ shift: 1.5 }, [32, 32, 3])).toThrow(/augment\.shift/);
  });
});
