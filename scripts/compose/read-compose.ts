/**
 * Reads compose.yaml without a YAML library (none is installed; `yaml` is requested): the file keeps to a
 * subset, and anything outside it is an error here rather than a silent misreading. The subset: nested block
 * mappings by indentation, `# comments`, plain or double-quoted scalars, and flow collections written as JSON
 * with bare words allowed (`[federation]`, `["sh", "x.sh"]`, `{}`). No anchors, merge keys, block lists,
 * multi-line strings or single quotes. Checked against PyYAML on compose.yaml when written (the same
 * structure); test/scripts/compose-check.test.ts checks that what lies outside the subset is refused.
 */
export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

function scalar(text: string, where: string): YamlValue {
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith('[') || text.startsWith('{')) {
    // Flow collections: bare words become strings, then it is JSON.
    const json = text.replace(/([[{,:]\s*)([A-Za-z_][\w.-]*)(?=\s*[\]},:])/g, '$1"$2"');
    try {
      return JSON.parse(json) as YamlValue;
    } catch {
      throw new Error(`${where}: flow collection outside the supported subset: ${text}`);
    }
  }
  if (/^[&*!|>'@`]/.test(text) || text === '<<') throw new Error(`${where}: YAML feature outside the subset: ${text}`);
  return text;
}

/** Parses the supported subset of YAML (see the module header). */
export function readComposeText(text: string): { [key: string]: YamlValue } {
  const root: { [key: string]: YamlValue } = {};
  const stack: Array<{ indent: number; map: { [key: string]: YamlValue } }> = [{ indent: -1, map: root }];
  for (const [i, raw] of text.split('\n').entries()) {
    const where = `compose.yaml:${i + 1}`;
    // A comment starts at a '#' outside quotes, after whitespace or at the start of the line.
    const line = raw.replace(/(^|\s)#(?=(?:[^"]*"[^"]*")*[^"]*$).*$/, '').trimEnd();
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const match = /^(\s*)([A-Za-z_][\w.-]*|"[^"]+"):(?:\s+(.*))?$/.exec(line);
    if (!match) throw new Error(`${where}: line outside the supported subset: ${raw.trim()}`);
    const key = match[2].startsWith('"') ? (JSON.parse(match[2]) as string) : match[2];
    while (indent <= stack[stack.length - 1].indent) stack.pop();
    const parent = stack[stack.length - 1].map;
    if (Object.hasOwn(parent, key)) throw new Error(`${where}: duplicate key ${key}`);
    if (match[3] === undefined || match[3] === '') {
      const map: { [key: string]: YamlValue } = {};
      parent[key] = map;
      stack.push({ indent, map });
    } else {
      parent[key] = scalar(match[3], where);
    }
  }
  return root;
}
