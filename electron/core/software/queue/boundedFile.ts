// Reading a file someone else may have put in the queue: opened without following a link or
// blocking on a FIFO, and read only if it is a regular file of bounded size, so a hostile name in
// a shared folder can neither hang the dashboard nor point it at a file elsewhere.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'

// Both flags are undefined on Windows.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

/** The whole file if it is a regular file of at most `max` bytes; otherwise why not. */
export function readBounded(path: string, max: number): { text: string } | { problem: string } {
  let fd: number
  try {
    fd = openSync(path, OPEN_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { problem: code === 'ELOOP' ? 'it is a symbolic link' : (error as Error).message }
  }
  try {
    if (!fstatSync(fd).isFile()) return { problem: 'it is not a regular file' }
    // One byte more than allowed tells a file that is (or grew) too large.
    const buffer = Buffer.alloc(max + 1)
    let length = 0
    for (let read = 1; read > 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, length)
    }
    if (length > max) return { problem: `it is larger than ${max / 1024} KB` }
    return { text: buffer.subarray(0, length).toString('utf8') }
  } finally {
    closeSync(fd)
  }
}
