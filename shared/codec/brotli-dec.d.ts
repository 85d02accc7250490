// Types for the two modules of the `brotli` package's decoder that decompress.ts uses directly.
declare module '*/brotli/dec/decode.js' {
  export function BrotliDecompress(
    input: unknown,
    output: { buffer: { length: number }; write(buf: Uint8Array, count: number): number },
  ): void;
}
declare module '*/brotli/dec/streams.js' {
  export class BrotliInput {
    constructor(buffer: Uint8Array);
  }
}
