// The arrow keys over the options listed under a text field (a combobox): Down and Up move the
// active option, wrapping; -1 is none, where a list may rest until the person moves into it.
export function nextActive(active: number, count: number, key: string, canRest: boolean): number {
  if (count === 0) return -1
  const first = canRest ? -1 : 0
  if (key === 'ArrowDown') return active + 1 >= count ? first : active + 1
  if (key === 'ArrowUp') return active - 1 < first ? count - 1 : active - 1
  return active
}

export const isArrow = (key: string): boolean => key === 'ArrowDown' || key === 'ArrowUp'
