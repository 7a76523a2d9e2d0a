import { classCount, imageSize, pixelsPerImage, recordBytes } from './cifar10-format.js';
import { DataError } from './data-error.js';

const plane = imageSize * imageSize;

/**
 * Turns the bytes of one batch file, arriving in chunks of any size, into labels and HWC
 * pixels written straight into the split's buffers, so no copy of the file is kept.
 */
export class RecordWriter {
  private readonly carry = new Uint8Array(recordBytes);
  private carried = 0;
  private record = 0;

  constructor(
    private readonly target: {
      file: string;
      images: Uint8Array;
      labels: Uint8Array;
      /** Index of this file's first record within the split. */
      firstRecord: number;
      records: number;
    },
  ) {}

  write(chunk: Uint8Array): void {
    let offset = 0;
    if (this.carried > 0) {
      const take = Math.min(recordBytes - this.carried, chunk.length);
      this.carry.set(chunk.subarray(0, take), this.carried);
      this.carried += take;
      offset = take;
      if (this.carried < recordBytes) return;
      this.store(this.carry, 0);
      this.carried = 0;
    }
    while (offset + recordBytes <= chunk.length) {
      this.store(chunk, offset);
      offset += recordBytes;
    }
    if (offset < chunk.length) {
      this.carry.set(chunk.subarray(offset), 0);
      this.carried = chunk.length - offset;
    }
  }

  /** Checks that exactly the announced number of whole records arrived. */
  end(): void {
    if (this.carried > 0 || this.record !== this.target.records) {
      const got = this.record * recordBytes + this.carried;
      throw new DataError(
        this.target.file,
        `${this.target.file} ended after ${got.toLocaleString('en-US')} bytes; expected ${(this.target.records * recordBytes).toLocaleString('en-US')} (${this.target.records} records of ${recordBytes} bytes).`,
      );
    }
  }

  private store(source: Uint8Array, at: number): void {
    const { target } = this;
    if (this.record >= target.records) {
      throw new DataError(
        target.file,
        `${target.file} has more than the ${target.records} records expected.`,
      );
    }
    const label = source[at]!;
    if (label >= classCount) {
      throw new DataError(
        target.file,
        `${target.file}: record ${this.record} has label ${label}; CIFAR-10 labels are 0-${classCount - 1}. Is this really a CIFAR-10 batch file?`,
      );
    }
    const index = target.firstRecord + this.record;
    target.labels[index] = label;
    // CHW planes (R, G, B) → interleaved HWC.
    const pixels = at + 1;
    const out = index * pixelsPerImage;
    const images = target.images;
    for (let p = 0; p < plane; p += 1) {
      const o = out + p * 3;
      images[o] = source[pixels + p]!;
      images[o + 1] = source[pixels + plane + p]!;
      images[o + 2] = source[pixels + 2 * plane + p]!;
    }
    this.record += 1;
  }
}
