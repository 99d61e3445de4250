// The "?" sheet: every key the board and the run view answer to.
import { useUi } from '../stores/ui'
import { Modal } from './Modal'

const SHORTCUTS: [keys: string[], what: string][] = [
  [['N'], 'New spec'],
  [['S'], 'Saturation: utilization per agent over time, idle quota this week'],
  [['/'], 'Filter the cards (Esc leaves the box, keeping the text)'],
  [['Ctrl / ⌘', 'K'], 'Command palette: go to a spec or a lane, run an action'],
  [['Tab'], 'Next cell or control: each cell is one stop, at the card last focused in it'],
  [['Enter'], 'Open the focused card'],
  [['←', '↑', '→', '↓'], 'Move focus between cards, inside a cell and on into the next'],
  [['Shift', '← / →'], 'Move the card to the previous / next column'],
  [['Shift', '↑ / ↓'], 'Move the card to the previous / next lane'],
  [['Ctrl / ⌘', 'Z'], 'Undo the last move (while its toast offers Undo)'],
  [['Ctrl', 'Enter'], 'Save while editing a spec'],
  [['1', '2', '3'], 'In a run: transcript, raw log, diff'],
  [['↑ / ↓', 'Enter'], 'In a transcript: move between entries, expand one'],
  [['Esc'], 'Close the run view, saturation, the drawer or a dialog; cancel an edit'],
  [['?'], 'Show this help'],
]

export function KeyboardHelp() {
  const close = useUi((s) => s.closeDialog)
  return (
    <Modal title="Keyboard shortcuts" onClose={close} testId="keyboard-help">
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={what} className="shortcut">
            <dt className="shortcut-keys">
              {keys.map((key) => (
                <kbd key={key} className="kbd">
                  {key}
                </kbd>
              ))}
            </dt>
            <dd className="shortcut-what">{what}</dd>
          </div>
        ))}
      </dl>
      <div className="form-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={close}>
          Done
        </button>
      </div>
    </Modal>
  )
}
