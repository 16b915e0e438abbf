// formats compiles with `"types": []` so that Node's globals cannot sneak in (DESIGN.md: formats has
// no I/O). These few are standard in every JavaScript runtime core may run in.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
declare function structuredClone<T>(value: T): T;
