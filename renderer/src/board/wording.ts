// Engine messages as the app shows them. The engine speaks to every host alike, so its refusals
// carry the CLI's fix ("(factory agent set bob --enabled yes)"); in the app that is noise next to
// the buttons it offers instead.

/** The message without the CLI commands given in parentheses. */
export function withoutCliHints(message: string): string {
  return message.replace(/\s*\(factory [^()]*\)/g, '')
}
