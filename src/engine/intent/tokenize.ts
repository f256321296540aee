/**
 * First stage of the offline grammar: the intent text becomes words. Quoted and backticked
 * stretches stay one token (a command to run, an image), possessives (`my-app's`) are split
 * off and remembered, and sentence punctuation is dropped without eating dots inside names.
 */
export interface Token {
  /** As typed (minus sentence punctuation and a possessive `'s`). */
  text: string;
  lower: string;
  quoted: boolean;
  possessive: boolean;
}

// `;`, `|`, `&` and `$` are never stripped: a word carrying them must reach the policy intact.
const TRAILING_PUNCTUATION = /[?!,.:]+$/;
const CONTRACTION = /^(it|that|what|there|who|here|where|how)['’]s$/i;
const POSSESSIVE = /^(.*[A-Za-z0-9])(?:'s|’s)$/;

function word(raw: string): Token[] {
  let text = raw.replace(/^[(["“]+/, '').replace(/[)\]"”]+$/, '');
  text = text.replace(TRAILING_PUNCTUATION, '');
  if (text === '') return [];
  const contraction = CONTRACTION.exec(text);
  if (contraction?.[1]) {
    return [plain(contraction[1]), plain('is')];
  }
  const possessive = POSSESSIVE.exec(text);
  if (possessive?.[1]) return [{ ...plain(possessive[1]), possessive: true }];
  return [plain(text)];
}

function plain(text: string): Token {
  return { text, lower: text.toLowerCase(), quoted: false, possessive: false };
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  // A quote opens only at the start of a word, so apostrophes inside words stay apostrophes.
  const pattern = /(?<=^|\s)"([^"]*)"|(?<=^|\s)'([^']*)'|`([^`]*)`|“([^”]*)”|(\S+)/g;
  for (let m = pattern.exec(input); m !== null; m = pattern.exec(input)) {
    const quotedText = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (quotedText !== undefined) {
      tokens.push({ text: quotedText, lower: quotedText.toLowerCase(), quoted: true, possessive: false });
    } else {
      tokens.push(...word(m[5] ?? ''));
    }
  }
  return tokens;
}
