import { expect, it } from 'vitest'
import { isOwnPage } from './sender'

const page = 'file:///Applications/Factory%20Stack.app/out/renderer/index.html'

it('lets our own page call the engine, whatever its hash or query', () => {
  expect(isOwnPage(page, page)).toBe(true)
  expect(isOwnPage(`${page}#/spec/s_1`, page)).toBe(true)
  expect(isOwnPage('http://localhost:5173/?x=1', 'http://localhost:5173/')).toBe(true)
})

it('refuses any other frame', () => {
  expect(isOwnPage(undefined, page)).toBe(false)
  expect(isOwnPage('', page)).toBe(false)
  expect(isOwnPage('https://evil.example/', page)).toBe(false)
  expect(isOwnPage('file:///tmp/evil.html', page)).toBe(false)
  expect(isOwnPage(`${page}.evil.html`, page)).toBe(false)
})
