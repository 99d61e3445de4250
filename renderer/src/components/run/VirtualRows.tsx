// A list that renders only the rows on screen, so 100,000 rows scroll like 100. Rows have one
// height except those in `heights` (an expanded transcript entry, measured by its row).
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'

const OVERSCAN = 12

interface VirtualRowsProps {
  count: number
  rowHeight: number
  /** Rows whose height differs (index → px). */
  heights?: ReadonlyMap<number, number>
  renderRow: (index: number, top: number) => ReactNode
  /** The rows on screen changed (to load them). */
  onRange?: (from: number, to: number) => void
  /** Keep the newest rows in view while the user is at the bottom. */
  follow?: boolean
  /** While following, scrolled up, rows arrived: the words of the button that goes back down. */
  newRowsLabel?: (count: number) => string
  /** Scroll so this row is visible (keyboard navigation). */
  scrollToIndex?: number | null
  /** Content wider than the list (long diff lines) scrolls sideways: its width in CSS units. */
  contentWidth?: string
  className?: string
  children?: ReactNode
  testId?: string
  label: string
  onKeyDown?: (event: React.KeyboardEvent<HTMLDivElement>) => void
}

export function layout(count: number, rowHeight: number, heights: ReadonlyMap<number, number>) {
  const special = [...heights.entries()].filter(([i]) => i < count).sort((a, b) => a[0] - b[0])
  const extraBefore = (index: number): number => {
    let extra = 0
    for (const [i, h] of special) {
      if (i >= index) break
      extra += h - rowHeight
    }
    return extra
  }
  return {
    total: count * rowHeight + special.reduce((sum, [, h]) => sum + h - rowHeight, 0),
    top: (index: number) => index * rowHeight + extraBefore(index),
    height: (index: number) => heights.get(index) ?? rowHeight,
    indexAt(y: number): number {
      let extra = 0
      for (const [i, h] of special) {
        const top = i * rowHeight + extra
        if (y < top) break
        if (y < top + h) return i
        extra += h - rowHeight
      }
      return Math.max(0, Math.min(count - 1, Math.floor((y - extra) / rowHeight)))
    },
  }
}

const NO_HEIGHTS: ReadonlyMap<number, number> = new Map()

export function VirtualRows(props: VirtualRowsProps) {
  const {
    count,
    rowHeight,
    heights = NO_HEIGHTS,
    renderRow,
    onRange,
    follow,
    scrollToIndex,
  } = props
  const scroller = useRef<HTMLDivElement | null>(null)
  const [view, setView] = useState({ top: 0, height: 600 })
  const atBottom = useRef(true)
  // The row count when the user scrolled up from the bottom: rows past it arrived unseen.
  const [countWhenLeft, setCountWhenLeft] = useState<number | null>(null)
  const countNow = useRef(count)
  countNow.current = count
  const geometry = useMemo(() => layout(count, rowHeight, heights), [count, rowHeight, heights])

  const onScroll = useCallback(() => {
    const node = scroller.current
    if (!node) return
    atBottom.current = node.scrollTop + node.clientHeight >= node.scrollHeight - rowHeight
    setCountWhenLeft((left) => (atBottom.current ? null : left === null ? countNow.current : left))
    setView({ top: node.scrollTop, height: node.clientHeight })
  }, [rowHeight])
  const backToBottom = useCallback(() => {
    const node = scroller.current
    if (!node) return
    node.scrollTop = node.scrollHeight
    node.focus({ preventScroll: true })
  }, [])

  useLayoutEffect(() => {
    const node = scroller.current
    if (!node) return
    const observer = new ResizeObserver(onScroll)
    observer.observe(node)
    return () => observer.disconnect()
  }, [onScroll])

  // New rows arrived: stay at the bottom if the user was there.
  useLayoutEffect(() => {
    const node = scroller.current
    if (follow && node && atBottom.current) node.scrollTop = node.scrollHeight
  }, [count, follow, geometry.total])

  useEffect(() => {
    const node = scroller.current
    if (scrollToIndex == null || !node) return
    const top = geometry.top(scrollToIndex)
    const bottom = top + geometry.height(scrollToIndex)
    if (top < node.scrollTop) node.scrollTop = top
    else if (bottom > node.scrollTop + node.clientHeight)
      node.scrollTop = bottom - node.clientHeight
  }, [scrollToIndex, geometry])

  const first = count === 0 ? 0 : Math.max(0, geometry.indexAt(view.top) - OVERSCAN)
  const last =
    count === 0 ? 0 : Math.min(count, geometry.indexAt(view.top + view.height) + OVERSCAN + 1)

  useEffect(() => {
    onRange?.(first, last)
  }, [first, last, onRange])

  const rows: ReactNode[] = []
  for (let i = first; i < last; i++) rows.push(renderRow(i, geometry.top(i)))
  const unseen = follow && countWhenLeft !== null ? count - countWhenLeft : 0
  return (
    <div
      ref={scroller}
      className={`virtual-rows ${props.className ?? ''}`}
      onScroll={onScroll}
      tabIndex={0}
      role="list"
      aria-label={props.label}
      data-testid={props.testId}
      onKeyDown={props.onKeyDown}
    >
      <div
        className="virtual-rows-space"
        style={{ height: geometry.total, minWidth: props.contentWidth }}
      >
        {rows}
      </div>
      {unseen > 0 && props.newRowsLabel ? (
        // A zero-height anchor stuck to the list's bottom edge: the button floats over the last
        // rows without adding to what scrolls.
        <div className="virtual-rows-new-anchor">
          <button
            type="button"
            className="button button-primary button-small virtual-rows-new"
            data-testid="new-rows"
            onClick={backToBottom}
          >
            {props.newRowsLabel(unseen)}
          </button>
        </div>
      ) : null}
      {props.children}
    </div>
  )
}
