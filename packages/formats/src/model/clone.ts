/** A deep copy of plain data (JSON values): exported documents never share objects with the model. */
export function cloneData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
