/** One query of a ```promql block of a Markdown file, as a user copies it: its `# question` line and the PromQL. */
export interface DocumentedQuery {
  file: string;
  /** 1-based line of the `# question` comment. */
  line: number;
  /** The question without its `# `. */
  question: string;
  /** The whole paragraph, comment line included: Prometheus reads `#` to the end of a line as a comment. */
  text: string;
}

export interface PromqlBlocks {
  /** How many ```promql blocks the file has. */
  blocks: number;
  queries: DocumentedQuery[];
  /** Paragraphs that do not follow the format: a `# question` line, then the query. */
  problems: string[];
}

/**
 * The queries of every ```promql block of a Markdown file: a block holds paragraphs separated by blank lines, each a
 * `# question` comment line followed by one query (which may span lines). Only fences at the start of a line, as this
 * project's Markdown writes them; no Markdown parser is installed, and fences are all that is needed here.
 */
export function promqlBlocks(markdown: string, file: string): PromqlBlocks {
  const lines = markdown.split('\n');
  const result: PromqlBlocks = { blocks: 0, queries: [], problems: [] };
  let paragraph: Array<{ line: number; text: string }> = [];
  let inBlock = false;
  let blockStart = { line: 0, queries: 0 };
  const endParagraph = (): void => {
    const [first, ...rest] = paragraph;
    paragraph = [];
    if (first === undefined) return;
    const question = /^#\s+(\S.*)$/.exec(first.text)?.[1];
    if (question === undefined) result.problems.push(`${file}:${first.line}: a query without its "# question" line: ${first.text}`);
    else if (!rest.some(({ text }) => !text.trimStart().startsWith('#'))) result.problems.push(`${file}:${first.line}: a question without a query: ${first.text}`);
    else result.queries.push({ file, line: first.line, question, text: [first, ...rest].map(({ text }) => text).join('\n') });
  };
  lines.forEach((text, index) => {
    if (!inBlock) {
      if (/^```promql\s*$/.test(text)) {
        inBlock = true;
        result.blocks++;
        blockStart = { line: index + 1, queries: result.queries.length };
      }
      return;
    }
    if (/^```\s*$/.test(text)) {
      endParagraph();
      inBlock = false;
      if (result.queries.length === blockStart.queries) result.problems.push(`${file}:${blockStart.line}: a promql block without a query`);
    } else if (text.trim() === '') endParagraph();
    else paragraph.push({ line: index + 1, text });
  });
  if (inBlock) result.problems.push(`${file}: a promql block that is never closed`);
  return result;
}
