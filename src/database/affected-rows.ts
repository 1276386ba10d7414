/** How many rows an UPDATE or DELETE changed: TypeORM answers them with `[rows, affected]`. */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
