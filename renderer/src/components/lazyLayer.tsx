// A layer over the board (drawer, run view, dialogs) whose code is its own chunk. Once preloaded
// it renders at once, like any component: a layer that suspended even for a moment would open a
// frame late, after focus had already moved on (the board puts it back on a card), and would send
// focus to the wrong place when it closes.
import { lazy, Suspense, useState, type ComponentType, type JSX } from 'react'

/** The layer's component, with `preload` to fetch its code now so later renders need not wait. */
export type LazyLayer<P> = ((props: P) => JSX.Element) & { preload: () => Promise<unknown> }

export function lazyLayer<M, P extends object>(
  load: () => Promise<M>,
  pick: (module: M) => ComponentType<P>,
): LazyLayer<P> {
  let loaded: ComponentType<P> | undefined
  const preload = () => load().then((module) => (loaded = pick(module)))
  const Lazy = lazy(() => preload().then((component) => ({ default: component })))
  function Layer(props: P) {
    // Chosen once per opening: switching type mid-life would remount it and lose what it holds.
    const [Chosen] = useState<ComponentType<P>>(() => loaded ?? Lazy)
    return (
      <Suspense fallback={null}>
        <Chosen {...props} />
      </Suspense>
    )
  }
  return Object.assign(Layer, { preload })
}
