// The window's single-letter keys stay out of form controls: a letter typed on a select picks an
// option there, a letter typed on a form's checkbox is not "new spec".
import { describe, expect, it } from 'vitest'
import { keysBelongToField, type KeyTarget } from './useGlobalShortcuts'

const element = (tagName: string, fields: Partial<KeyTarget> & { inForm?: boolean } = {}) => {
  const { inForm = false, ...rest } = fields
  return {
    tagName,
    closest: (selector: string) => (selector === 'form' && inForm ? {} : null),
    ...rest,
  }
}

describe('which keys the focused control keeps', () => {
  it('keeps every key in a field, a text area, a select or anything editable', () => {
    expect(keysBelongToField(element('INPUT', { type: 'text' }))).toBe(true)
    expect(keysBelongToField(element('INPUT', { type: 'search' }))).toBe(true)
    expect(keysBelongToField(element('INPUT'))).toBe(true)
    expect(keysBelongToField(element('TEXTAREA'))).toBe(true)
    expect(keysBelongToField(element('SELECT'))).toBe(true)
    expect(keysBelongToField(element('DIV', { isContentEditable: true }))).toBe(true)
  })

  it('keeps them on a checkbox, a radio or a button inside a form, not on one outside', () => {
    for (const type of ['checkbox', 'radio', 'submit', 'button']) {
      expect(keysBelongToField(element('INPUT', { type, inForm: true }))).toBe(true)
      expect(keysBelongToField(element('INPUT', { type }))).toBe(false)
    }
    expect(keysBelongToField(element('BUTTON', { inForm: true }))).toBe(true)
    expect(keysBelongToField(element('BUTTON'))).toBe(false)
  })

  it('leaves the keys to the window on the board itself: a card, a lane, nothing focused', () => {
    expect(keysBelongToField(element('DIV'))).toBe(false)
    expect(keysBelongToField(element('BODY'))).toBe(false)
    expect(keysBelongToField(null)).toBe(false)
  })
})
