// Combining a tree field's filter with the one already applied, as Wireshark's "…and selected" /
// "…or selected" / "…not selected" write it: `(current) && (field)`. Pure: tested without a DOM.

export function combineFilter(current: string, field: string, join: 'only' | 'and' | 'or' | 'not'): string {
  const cur = current.trim();
  if (join === 'only') return field;
  if (join === 'not') return cur ? `(${cur}) && !(${field})` : `!(${field})`;
  if (!cur) return field;
  return `(${cur}) ${join === 'and' ? '&&' : '||'} (${field})`;
}
