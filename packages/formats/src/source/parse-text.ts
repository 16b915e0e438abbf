import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { childPointer } from './pointer.js';

/** A parsed template or document: its value, and the line each field is on. */
export interface SourceText {
  /** How the file is named to the user (absolute, or relative to the project). */
  readonly file: string;
  readonly value: unknown;
  /** The 1-based line of the field at `pointer` (its key's line for a map entry). */
  lineOf(pointer: string): number | undefined;
}

export type ParseTextResult = { ok: true; source: SourceText } | { ok: false; message: string; line?: number; column?: number };

/**
 * Parses a template as CloudFormation does: JSON, or YAML with the short-form intrinsic tags.
 * `!Ref X` → `{Ref: X}`, `!Condition X` → `{Condition: X}`, `!GetAtt A.B.C` → `{"Fn::GetAtt":
 * ["A", "B.C"]}` (split at the first dot, as SAM CLI's loader does), any other `!Name v` →
 * `{"Fn::Name": v}`. YAML is read as YAML 1.2 (`yes` stays a string; `2.0` is the number 2,
 * which the readers normalise where a version is expected).
 */
export function parseText(file: string, text: string): ParseTextResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/^\s*[{[]/.test(body)) {
    try {
      const value: unknown = JSON.parse(body);
      return { ok: true, source: jsonSource(file, body, value) };
    } catch (error) {
      // JSON-looking YAML (a flow mapping) is legal; a .json file must be JSON.
      if (/\.json$/i.test(file)) return { ok: false, message: `invalid JSON: ${(error as Error).message}`, ...jsonErrorPosition(body, error as Error) };
    }
  }
  return parseYamlText(file, body);
}

function parseYamlText(file: string, text: string): ParseTextResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    return { ok: false, message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, line: pos?.line, column: pos?.col };
  }
  const lines = new Map<string, number>();
  const value = toValue(doc, doc.contents, '', lines, lineCounter, 0);
  return { ok: true, source: { file, value, lineOf: (pointer) => lines.get(pointer) ?? nearestLine(lines, pointer) } };
}

/** An alias chain deeper than this is a YAML bomb, not a template. */
const MAX_DEPTH = 200;

function toValue(doc: Document, node: Node | null | undefined, pointer: string, lines: Map<string, number>, lc: LineCounter, depth: number): unknown {
  if (node === null || node === undefined) return null;
  if (depth > MAX_DEPTH) throw new Error('YAML nests too deeply (an alias cycle?)');
  if (!lines.has(pointer) && node.range) lines.set(pointer, lc.linePos(node.range[0]).line);
  if (isAlias(node)) return toValue(doc, node.resolve(doc) as Node | undefined, pointer, lines, lc, depth + 1);
  let value: unknown;
  if (isScalar(node)) value = node.value;
  else if (isSeq(node)) value = node.items.map((item, i) => toValue(doc, item as Node, childPointer(pointer, i), lines, lc, depth + 1));
  else if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const at = childPointer(pointer, key);
      if (key === '<<') {
        // YAML merge keys: the map's own entries win over merged ones.
        const merged = toValue(doc, pair.value as Node, pointer, lines, lc, depth + 1);
        for (const source of Array.isArray(merged) ? merged : [merged]) {
          if (source && typeof source === 'object') for (const [k, v] of Object.entries(source)) if (!(k in out)) out[k] = v;
        }
        continue;
      }
      if (keyNode?.range) lines.set(at, lc.linePos(keyNode.range[0]).line);
      out[key] = toValue(doc, pair.value as Node, at, lines, lc, depth + 1);
    }
    value = out;
  }
  return applyTag(node.tag, value);
}

function applyTag(tag: string | undefined, value: unknown): unknown {
  if (tag === undefined || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

/** A pointer the map does not hold (a default filled in by a reader): its closest parent's line. */
function nearestLine(lines: ReadonlyMap<string, number>, pointer: string): number | undefined {
  for (let at = pointer.lastIndexOf('/'); at > 0; at = pointer.lastIndexOf('/', at - 1)) {
    const line = lines.get(pointer.slice(0, at));
    if (line !== undefined) return line;
  }
  return undefined;
}

/**
 * JSON templates (CDK's, often megabytes) parse with JSON.parse; the lines of fields are found
 * with one scan of the text the first time a line is asked for, not at parse time.
 */
function jsonSource(file: string, text: string, value: unknown): SourceText {
  let lines: Map<string, number> | undefined;
  return {
    file,
    value,
    lineOf(pointer) {
      lines ??= scanJsonLines(text);
      return lines.get(pointer) ?? nearestLine(lines, pointer);
    },
  };
}

/** Every value's pointer → the line of its key (or of the value, for array items). */
export function scanJsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      i++;
    }
  };
  const str = (): string => {
    const start = ++i;
    let escaped = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 92) escaped = true;
      else if (c === 34) break;
      i++;
      if (c === 92) i++;
    }
    const raw = text.slice(start, i++);
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  const value = (pointer: string, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Error('JSON nests too deeply');
    ws();
    if (!lines.has(pointer)) lines.set(pointer, line);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        const keyLine = line;
        const key = str();
        const at = childPointer(pointer, key);
        lines.set(at, keyLine);
        ws();
        i++; // ':'
        value(at, depth + 1);
        ws();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(childPointer(pointer, n), depth + 1);
        ws();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') return void str();
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value('', 0);
  return lines;
}

function jsonErrorPosition(text: string, error: Error): { line?: number; column?: number } {
  const position = /position (\d+)/.exec(error.message);
  if (position) {
    const before = text.slice(0, Number(position[1])).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1 };
  }
  const lc = /line (\d+) column (\d+)/.exec(error.message);
  return lc ? { line: Number(lc[1]), column: Number(lc[2]) } : {};
}
