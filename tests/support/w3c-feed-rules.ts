/**
 * The two W3C Feed Validator (feedvalidator.org source) warnings that ordinary digests used to get,
 * re-applied offline; the online service cannot be reached from the tests.
 *
 * - `CharacterData` (RSS 2.0, from the RSS Best Practices Profile): an element whose text, once parsed,
 *   holds `&` or `<` while none of the source lines it spans uses a hexadecimal character reference
 *   (`&#x…;`). The validator marks each source line that contains `&#x` and checks the element's lines.
 * - `MissingTextualContent` (Atom 1.0): an `<entry>` with neither `<summary>` nor `<content>`.
 */
export function w3cFeedWarnings(path: string, body: string): string[] {
  if (path.endsWith('rss.xml')) return characterDataWarnings(path, body);
  if (path.endsWith('atom.xml')) return missingTextualContentWarnings(path, body);
  return [];
}

const TEXT_NODE = /<([A-Za-z][\w:.-]*)(?:\s[^>]*)?>([^<]+)<\/\1>/g;

function characterDataWarnings(path: string, body: string): string[] {
  const warnings: string[] = [];
  for (const [index, line] of body.split('\n').entries()) {
    for (const match of line.matchAll(TEXT_NODE)) {
      const text = decodeXmlText(match[2] ?? '');
      if ((text.includes('&') || text.includes('<')) && !line.includes('&#x')) {
        warnings.push(`${path}:${index + 1}: CharacterData in <${match[1]}>: ${text.slice(0, 60)}`);
      }
    }
  }
  return warnings;
}

function missingTextualContentWarnings(path: string, body: string): string[] {
  const warnings: string[] = [];
  for (const match of body.matchAll(/<entry>([\s\S]*?)<\/entry>/g)) {
    const entry = match[1] ?? '';
    if (!/<summary[\s>]/.test(entry) && !/<content[\s>]/.test(entry)) {
      const id = /<id>([^<]*)<\/id>/.exec(entry)?.[1] ?? '(no id)';
      warnings.push(`${path}: MissingTextualContent in the entry ${id}`);
    }
  }
  return warnings;
}

function decodeXmlText(raw: string): string {
  return raw.replace(/&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}
