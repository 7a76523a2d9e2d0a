/** The official "CIFAR-10 binary version" archive. */
export const officialArchive = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  fileName: 'cifar-10-binary.tar.gz',
  bytes: 170_052_171,
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
} as const;

export const folderName = 'cifar-10-batches-bin';
export const metaFile = 'batches.meta.txt';
export const trainFiles = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`);
export const testFile = 'test_batch.bin';

export const imageSize = 32;
export const channels = 3;
export const classCount = 10;
/** Bytes of one image: 32 × 32 pixels × 3 channels. */
export const pixelsPerImage = imageSize * imageSize * channels;
/** One label byte, then 1,024 red, 1,024 green and 1,024 blue bytes, each plane row by row. */
export const recordBytes = 1 + pixelsPerImage;
