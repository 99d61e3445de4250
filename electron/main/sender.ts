// Which frames may call the engine over IPC: only our own page, at the exact URL we loaded (a frame
// that navigated elsewhere, an iframe or an injected page is refused). Pure, so it is tested in Node.
export function isOwnPage(senderUrl: string | undefined, rendererUrl: string): boolean {
  if (!senderUrl) return false
  const strip = (url: string): string => url.split('#')[0]!.split('?')[0]!
  return strip(senderUrl) === strip(rendererUrl)
}
