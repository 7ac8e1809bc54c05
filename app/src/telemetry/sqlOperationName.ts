/**
 * `db.operation.name` of a SQL statement: its first keyword, upper-case (`SELECT`, `INSERT`, `WITH`), after any
 * leading comments (`-- …` lines and `/* … *\/` blocks) and white space, so a statement that starts with a comment
 * is labelled by its command instead of `--`. Undefined-free: a text with no keyword is `OTHER`.
 */
export function sqlOperationName(text: string): string {
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('--')) {
      const end = rest.indexOf('\n');
      rest = end === -1 ? '' : rest.slice(end + 1);
    } else if (rest.startsWith('/*')) {
      const end = rest.indexOf('*/');
      rest = end === -1 ? '' : rest.slice(end + 2);
    } else break;
  }
  const keyword = /^[A-Za-z]+/.exec(rest)?.[0];
  return keyword === undefined ? 'OTHER' : keyword.toUpperCase();
}
