// Finds where each line of a trace starts, straight from the bytes (a newline is one byte in
// UTF-8 and never part of another character), so any event's line can be decoded later on its own.
// Leaves out: decoding (the indexer decodes whole chunks at once).

/** Offsets of each line's first byte, plus one past the last line's newline at the end. */
export function findLines(bytes: Uint8Array): Float64Array {
  let out = new Float64Array(Math.max(16, Math.ceil(bytes.length / 64)));
  let n = 0;
  out[n++] = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
    if (n === out.length) {
      const bigger = new Float64Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    out[n++] = i + 1;
  }
  return out.slice(0, n);
}

/** The text of line k (0 = header), without its newline. */
export function lineText(bytes: Uint8Array, lineStart: Float64Array, k: number, decoder = new TextDecoder()): string {
  return decoder.decode(bytes.subarray(lineStart[k] as number, (lineStart[k + 1] as number) - 1));
}
