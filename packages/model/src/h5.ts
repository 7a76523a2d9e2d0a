import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

type H5wasm = typeof import('h5wasm/node').default;
let h5wasmReady: Promise<H5wasm> | null = null;

/** h5wasm is ESM-only and loads a 3 MB wasm module: import it only when a file is read. */
export function loadH5wasm(): Promise<H5wasm> {
  h5wasmReady ??= import('h5wasm/node').then(async (m) => {
    await m.default.ready;
    return m.default;
  });
  return h5wasmReady;
}

/** Opens an HDF5 file read-only (h5wasm's Node build reads the host filesystem directly). */
export async function openH5(path: string): Promise<InstanceType<H5wasm['File']>> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new Error(`HDF5 file not found: ${absolute}`);
  if (!hasHdf5Signature(absolute)) {
    throw new Error(
      `${absolute} is not an HDF5 file (no HDF5 signature; expected a Keras .h5 weights file)`,
    );
  }
  const h5 = await loadH5wasm();
  try {
    return new h5.File(absolute, 'r');
  } catch (error) {
    throw new Error(
      `${absolute} is not a readable HDF5 file (truncated or corrupt?): ${String(error)}`,
    );
  }
}

const signature = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Whether the file starts an HDF5 superblock: the 8-byte signature sits at offset 0, 512,
 * 1024, 2048, … (a user block may come first). Checked before h5wasm opens the file, since
 * HDF5 answers a wrong file with dozens of diagnostic lines on stderr.
 */
export function hasHdf5Signature(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.alloc(signature.length);
    for (let at = 0; at + signature.length <= size; at = at === 0 ? 512 : at * 2) {
      if (readSync(fd, bytes, 0, bytes.length, at) === bytes.length && bytes.equals(signature))
        return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** An HDF5 string-array attribute as JS strings (Keras writes fixed-length byte strings). */
export function stringList(value: unknown): string[] {
  if (value == null) return [];
  if (typeof value === 'string') return [value];
  // h5wasm reads an empty list (layers without weights) as an empty typed array.
  if (ArrayBuffer.isView(value) && (value as Uint8Array).length === 0) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) =>
    typeof item === 'string' ? item : new TextDecoder().decode(item as Uint8Array),
  );
}
