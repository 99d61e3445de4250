// A spec's body as markdown. No rehype-raw: raw HTML in a body shows as text and never renders,
// and react-markdown's default URL filter drops javascript: links.
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import './markdown.css'

const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer" />,
  // Remote images would be blocked by the CSP anyway; a link says what is there without fetching it.
  img: ({ src, alt }) => (
    <a href={typeof src === 'string' ? src : undefined} target="_blank" rel="noreferrer">
      {alt || 'image'}
    </a>
  ),
}

const plugins = [remarkGfm]

export function Markdown({ children }: { children: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={plugins} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  )
}
