import type { SourceRef } from '../model/model.js';
import { readablePointer } from './pointer.js';

/** `template.yaml:42`, or the file alone when the line is unknown. */
export function formatSource(source: SourceRef): string {
  return source.line === undefined ? source.file : `${source.file}:${source.line}`;
}

/** `template.yaml:42 Resources.Api.Properties.Auth`: where, for a message about a template field. */
export function describeSource(source: SourceRef): string {
  const field = readablePointer(source.pointer);
  return field ? `${formatSource(source)} ${field}` : formatSource(source);
}
