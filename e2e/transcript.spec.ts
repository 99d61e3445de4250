// Reading back in a live transcript: scrolled up, the list stays where the reader is, and a
// button counts the lines that arrived below ("↓ 37 new lines"); it takes the reader back down,
// and the list follows the run again from there.
import { join } from 'node:path'
import { addFixtureLane } from './board'
import { ARTIFACTS, expect, test } from './factory'

test('scrolled up in a live transcript, new lines are counted and one click follows the run again', async ({
  page,
  factory,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.emulateMedia({ colorScheme: 'dark' })
  // A line every 100 ms for 30 s.
  addFixtureLane(factory, 'bob', ['slow', '30'])
  factory.cli('spec', 'add', '--title', 'Long build')
  factory.cli('dispatch', 's_1', '--agent', 'bob')
  await page.goto(`${factory.url}&run=r_1`)

  const transcript = page.getByTestId('transcript')
  const entries = transcript.getByTestId('transcript-entry')
  await expect(entries.filter({ hasText: 'tick 40' })).toBeVisible()
  // Following: no button while the reader is at the bottom.
  await expect(page.getByTestId('new-rows')).toHaveCount(0)

  await transcript.evaluate((node) => (node.scrollTop = 0))
  const pill = page.getByTestId('new-rows')
  await expect(pill).toHaveText(/^↓ \d+ new lines?$/)
  const first = Number((await pill.innerText()).match(/\d+/)![0])
  await expect
    .poll(async () => Number((await pill.innerText()).match(/\d+/)![0]))
    .toBeGreaterThan(first)
  // The reader stays where they scrolled to while lines arrive.
  expect(await transcript.evaluate((node) => node.scrollTop)).toBe(0)
  await page.screenshot({ path: join(ARTIFACTS, 'transcript-new-lines.png') })

  await pill.click()
  await expect(pill).toHaveCount(0)
  // Back at the bottom and following: the newest line keeps coming into view.
  const atBottom = () =>
    transcript.evaluate((node) => node.scrollTop + node.clientHeight >= node.scrollHeight - 30)
  await expect.poll(atBottom).toBe(true)
  const lastShown = async () =>
    Number(
      (
        await entries
          .filter({ hasText: /tick \d+/ })
          .last()
          .innerText()
      ).match(/tick (\d+)/)![1],
    )
  const before = await lastShown()
  await expect.poll(lastShown).toBeGreaterThan(before + 3)
  expect(await atBottom()).toBe(true)
  await expect(transcript).toBeFocused()
})
