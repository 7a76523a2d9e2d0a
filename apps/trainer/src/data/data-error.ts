/** Data that cannot be used as CIFAR-10. `file` names the file (or folder/URL) at fault. */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.file = file;
  }
}
