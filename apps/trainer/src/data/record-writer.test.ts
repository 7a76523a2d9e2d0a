import { describe, expect, it } from 'vitest';
import { pixelsPerImage, recordBytes } from './cifar10-format.js';
import { DataError } from './data-error.js';
import { RecordWriter } from './record-writer.js';
import { fixtureRecords } from './testing/cifar10-fixture.js';

function target(records: number) {
  return {
    file: 'data_batch_1.bin',
    images: new Uint8Array(records * pixelsPerImage),
    labels: new Uint8Array(records),
    firstRecord: 0,
    records,
  };
}

/** Pixel (y, x, c) of record r, read from the file layout: label, then R, G, B planes. */
function recordPixel(bytes: Uint8Array, r: number, y: number, x: number, c: number): number {
  return bytes[r * recordBytes + 1 + c * 1024 + y * 32 + x]!;
}

describe('RecordWriter', () => {
  it.each([1, 7, 512, recordBytes, 5000, 1 << 20])(
    'stores CHW records as HWC whatever the chunk size (%i)',
    (chunkSize) => {
      const records = 4;
      const bytes = fixtureRecords(records, 3);
      const t = target(records);
      const writer = new RecordWriter(t);
      for (let at = 0; at < bytes.length; at += chunkSize)
        writer.write(bytes.subarray(at, at + chunkSize));
      writer.end();
      for (let r = 0; r < records; r += 1) {
        expect(t.labels[r]).toBe(bytes[r * recordBytes]);
        for (let y = 0; y < 32; y += 1) {
          for (let x = 0; x < 32; x += 1) {
            for (let c = 0; c < 3; c += 1) {
              const stored = t.images[r * pixelsPerImage + (y * 32 + x) * 3 + c];
              if (stored !== recordPixel(bytes, r, y, x, c)) {
                throw new Error(`record ${r} pixel (${y}, ${x}, ${c}) is ${stored}`);
              }
            }
          }
        }
      }
    },
  );

  it('names the file and record when a label is out of range', () => {
    const bytes = fixtureRecords(3, 0);
    bytes[2 * recordBytes] = 10;
    const writer = new RecordWriter(target(3));
    expect(() => writer.write(bytes)).toThrow(
      new DataError(
        'data_batch_1.bin',
        'data_batch_1.bin: record 2 has label 10; CIFAR-10 labels are 0-9. Is this really a CIFAR-10 batch file?',
      ),
    );
  });

  it('names the file when it ends early', () => {
    const writer = new RecordWriter(target(2));
    writer.write(fixtureRecords(2, 0).subarray(0, recordBytes + 10));
    expect(() => writer.end()).toThrow(/data_batch_1\.bin ended after 3,083 bytes; expected 6,146/);
  });
});
