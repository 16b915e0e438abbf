/**
 * JSON pointers (RFC 6901), the address of a field inside a template: `/Resources/Api/Properties`.
 * Errors and `localgw routes` name fields by pointer (and line), so each reader passes them along.
 */

/** `['Resources', 'A/B']` → `/Resources/A~1B`. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of segments) out += '/' + escape(String(segment));
  return out;
}

/** The pointer of `key` inside the value at `pointer`. */
export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${escape(String(key))}`;
}

/** `/Resources/A~1B` → `['Resources', 'A/B']`. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A pointer as people read it in a template: `Resources.Api.Properties.Auth`. */
export function readablePointer(pointer: string): string {
  return pointerSegments(pointer)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z0-9_$:-]+$/.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`))
    .join('');
}

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
