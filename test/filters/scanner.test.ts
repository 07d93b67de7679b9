// Token streams of the scanner, after containerd's scanner_test.go, plus
// byte-offset and sticky-error cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scanner } from '../../src/filters/scanner.ts';

type Tok = [pos: number, token: string, text?: string, err?: string];

function tokens(input: string): Tok[] {
  const sc = new Scanner(input);
  const out: Tok[] = [];
  for (let i = 0; i < 200; i++) {
    const t = sc.scan();
    const token = t.kind === 'Char' ? String.fromCodePoint(t.rune) : t.kind;
    const tok: Tok = [t.pos, token];
    if (t.text !== '' || t.kind === 'Illegal') tok.push(t.text);
    if (t.kind === 'Illegal') tok.push(sc.err);
    out.push(tok);
    if (t.kind === 'EOF') break;
  }
  // Scanning past the end keeps returning EOF.
  assert.equal(sc.scan().kind, 'EOF');
  return out;
}

const cases: [name: string, input: string, expected: Tok[]][] = [
  [
    'Field',
    'name',
    [
      [0, 'Field', 'name'],
      [4, 'EOF'],
    ],
  ],
  [
    'SelectorsWithOperators',
    'name==value,foo!=bar',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '=='],
      [6, 'Value', 'value'],
      [11, 'Separator', ','],
      [12, 'Field', 'foo'],
      [15, 'Operator', '!='],
      [17, 'Value', 'bar'],
      [20, 'EOF'],
    ],
  ],
  [
    'SelectorsWithFieldPaths',
    'name==value,labels.foo=value,other.bar~=match',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '=='],
      [6, 'Value', 'value'],
      [11, 'Separator', ','],
      [12, 'Field', 'labels'],
      [18, 'Separator', '.'],
      [19, 'Field', 'foo'],
      [22, 'Operator', '='],
      [23, 'Value', 'value'],
      [28, 'Separator', ','],
      [29, 'Field', 'other'],
      [34, 'Separator', '.'],
      [35, 'Field', 'bar'],
      [38, 'Operator', '~='],
      [40, 'Value', 'match'],
      [45, 'EOF'],
    ],
  ],
  [
    'RegexpValue',
    'name~=[abc]+,foo=test',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '~='],
      [6, 'Value', '[abc]+'],
      [12, 'Separator', ','],
      [13, 'Field', 'foo'],
      [16, 'Operator', '='],
      [17, 'Value', 'test'],
      [21, 'EOF'],
    ],
  ],
  [
    'RegexpEscapedValue',
    'name~=[abc]\\+,foo=test',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '~='],
      [6, 'Value', '[abc]\\+'],
      [13, 'Separator', ','],
      [14, 'Field', 'foo'],
      [17, 'Operator', '='],
      [18, 'Value', 'test'],
      [22, 'EOF'],
    ],
  ],
  [
    'RegexpQuotedValue',
    'name~=/[abc]{0,2}/,foo=test',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '~='],
      [6, 'Quoted', '/[abc]{0,2}/'],
      [18, 'Separator', ','],
      [19, 'Field', 'foo'],
      [22, 'Operator', '='],
      [23, 'Value', 'test'],
      [27, 'EOF'],
    ],
  ],
  [
    'Cowsay',
    'name~=牛,labels.moo=true',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '~='],
      [6, 'Value', '牛'],
      [9, 'Separator', ','],
      [10, 'Field', 'labels'],
      [16, 'Separator', '.'],
      [17, 'Field', 'moo'],
      [20, 'Operator', '='],
      [21, 'Value', 'true'],
      [25, 'EOF'],
    ],
  ],
  [
    'CowsayRegexpQuoted',
    'name~=|牛|,labels.moo=true',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '~='],
      [6, 'Quoted', '|牛|'],
      [11, 'Separator', ','],
      [12, 'Field', 'labels'],
      [18, 'Separator', '.'],
      [19, 'Field', 'moo'],
      [22, 'Operator', '='],
      [23, 'Value', 'true'],
      [27, 'EOF'],
    ],
  ],
  [
    'Escapes',
    'name~="asdf\\n\\tfooo"',
    [
      [0, 'Field', 'name'],
      [4, 'Operator', '~='],
      [6, 'Quoted', '"asdf\\n\\tfooo"'],
      [20, 'EOF'],
    ],
  ],
  [
    'NullInput',
    'foo\x00bar',
    [
      [0, 'Field', 'foo'],
      [3, 'Illegal', '', 'unexpected null'],
      [4, 'Field', 'bar'],
      [7, 'EOF'],
    ],
  ],
  [
    'SpacesChomped',
    'foo = bar    ',
    [
      [0, 'Field', 'foo'],
      [4, 'Operator', '='],
      [6, 'Value', 'bar'],
      [13, 'EOF'],
    ],
  ],
  [
    'ValuesPunctuated',
    'compound.labels==punctuated_value.foo-bar',
    [
      [0, 'Field', 'compound'],
      [8, 'Separator', '.'],
      [9, 'Field', 'labels'],
      [15, 'Operator', '=='],
      [17, 'Value', 'punctuated_value.foo-bar'],
      [41, 'EOF'],
    ],
  ],
  [
    'PartialInput',
    'interrupted=',
    [
      [0, 'Field', 'interrupted'],
      [11, 'Operator', '='],
      [12, 'EOF'],
    ],
  ],
  [
    'DoubleValue',
    'doublevalue=value value',
    [
      [0, 'Field', 'doublevalue'],
      [11, 'Operator', '='],
      [12, 'Value', 'value'],
      [18, 'Field', 'value'],
      [23, 'EOF'],
    ],
  ],
  [
    'LeadingWithQuoted',
    '"leading quote".postquote==value',
    [
      [0, 'Quoted', '"leading quote"'],
      [15, 'Separator', '.'],
      [16, 'Field', 'postquote'],
      [25, 'Operator', '=='],
      [27, 'Value', 'value'],
      [32, 'EOF'],
    ],
  ],
  [
    'MissingValue',
    'input==,id!=ff',
    [
      [0, 'Field', 'input'],
      [5, 'Operator', '=='],
      [7, 'Separator', ','],
      [8, 'Field', 'id'],
      [10, 'Operator', '!='],
      [12, 'Value', 'ff'],
      [14, 'EOF'],
    ],
  ],
  [
    'QuotedRegexp',
    'input~=/foo\\/bar/,id!=ff',
    [
      [0, 'Field', 'input'],
      [5, 'Operator', '~='],
      [7, 'Quoted', '/foo\\/bar/'],
      [17, 'Separator', ','],
      [18, 'Field', 'id'],
      [20, 'Operator', '!='],
      [22, 'Value', 'ff'],
      [24, 'EOF'],
    ],
  ],
  [
    'QuotedRegexpAlt',
    'input~=|foo/bar|,id!=ff',
    [
      [0, 'Field', 'input'],
      [5, 'Operator', '~='],
      [7, 'Quoted', '|foo/bar|'],
      [16, 'Separator', ','],
      [17, 'Field', 'id'],
      [19, 'Operator', '!='],
      [21, 'Value', 'ff'],
      [23, 'EOF'],
    ],
  ],
  [
    'IllegalQuoted',
    'labels.containerd.io/key==value',
    [
      [0, 'Field', 'labels'],
      [6, 'Separator', '.'],
      [7, 'Field', 'containerd'],
      [17, 'Separator', '.'],
      [18, 'Field', 'io'],
      [20, 'Illegal', '/key==value', 'quoted literal not terminated'],
      [31, 'EOF'],
    ],
  ],
  [
    'IllegalQuotedWithNewLine',
    'labels."containerd.io\nkey"==value',
    [
      [0, 'Field', 'labels'],
      [6, 'Separator', '.'],
      [7, 'Illegal', '"containerd.io\n', 'quoted literal not terminated'],
      [22, 'Field', 'key'],
      [25, 'Illegal', '"==value', 'quoted literal not terminated'],
      [33, 'EOF'],
    ],
  ],
  [
    'IllegalEscapeSequence',
    'labels."\\g"',
    [
      [0, 'Field', 'labels'],
      [6, 'Separator', '.'],
      [7, 'Illegal', '"\\g"', 'illegal escape sequence'],
      [11, 'EOF'],
    ],
  ],
  [
    'IllegalNumericEscapeSequence',
    'labels."\\xaz"',
    [
      [0, 'Field', 'labels'],
      [6, 'Separator', '.'],
      [7, 'Illegal', '"\\xaz"', 'illegal numeric escape sequence'],
      [13, 'EOF'],
    ],
  ],
  // Beyond upstream's list.
  [
    'MultiByteOffsets',
    'é==ü,x',
    [
      [0, 'é'],
      [2, 'Operator', '=='],
      [4, 'Value', 'ü'],
      [6, 'Separator', ','],
      [7, 'Field', 'x'],
      [8, 'EOF'],
    ],
  ],
  [
    'AstralValue',
    'a==😀b c',
    [
      [0, 'Field', 'a'],
      [1, 'Operator', '=='],
      [3, 'Value', '😀b'],
      [9, 'Field', 'c'],
      [10, 'EOF'],
    ],
  ],
  [
    'ValueModeSurvivesQuoted',
    'a=="x"y',
    [
      [0, 'Field', 'a'],
      [1, 'Operator', '=='],
      [3, 'Quoted', '"x"'],
      [6, 'Value', 'y'],
      [7, 'EOF'],
    ],
  ],
  [
    'ControlCharStartsValue',
    'a==\x01b',
    [
      [0, 'Field', 'a'],
      [1, 'Operator', '=='],
      [3, 'Value', '\x01b'],
      [5, 'EOF'],
    ],
  ],
  [
    'UnicodeSpaceSkipped',
    '\u3000a\u00a0==\u2003b',
    [
      [3, 'Field', 'a'],
      [6, 'Operator', '=='],
      [11, 'Value', 'b'],
      [12, 'EOF'],
    ],
  ],
  [
    'SingleQuoteIsNotAQuote',
    "'a'",
    [
      [0, "'"],
      [1, 'Field', 'a'],
      [2, "'"],
      [3, 'EOF'],
    ],
  ],
  [
    'OperatorRun',
    'a=~!b',
    [
      [0, 'Field', 'a'],
      [1, 'Operator', '=~!'],
      [4, 'Value', 'b'],
      [5, 'EOF'],
    ],
  ],
  [
    'LoneSurrogateIsRuneError',
    'a\ud800b',
    [
      [0, 'Field', 'a'],
      [1, 'Illegal', '', 'rune error'],
      [4, 'Field', 'b'],
      [5, 'EOF'],
    ],
  ],
  [
    'ReplacementCharIsRuneError',
    'a\ufffd',
    [
      [0, 'Field', 'a'],
      [1, 'Illegal', '', 'rune error'],
      [4, 'EOF'],
    ],
  ],
  [
    'StickyFirstError',
    '"\\q\x00"',
    [
      [0, 'Illegal', '"\\q\x00', 'illegal escape sequence'],
      [4, 'Illegal', '"', 'illegal escape sequence'],
      [5, 'EOF'],
    ],
  ],
  [
    'BadEscapeKeepsScanning',
    '"\\q" x',
    [
      [0, 'Illegal', '"\\q"', 'illegal escape sequence'],
      [5, 'Field', 'x'],
      [6, 'EOF'],
    ],
  ],
  [
    'EscapedQuoteOfOtherKind',
    '/a\\"b/',
    [
      [0, 'Illegal', '/a\\"b/', 'illegal escape sequence'],
      [6, 'EOF'],
    ],
  ],
  [
    'OctalAndUnicodeEscapes',
    '"\\101\\u00e9\\U0001F600"',
    [
      [0, 'Quoted', '"\\101\\u00e9\\U0001F600"'],
      [22, 'EOF'],
    ],
  ],
  // containerd's scanDigits reads at most n digits of the base and hands back the rune that
  // stopped it: a quote there ends the literal, a newline ends it unterminated.
  [
    'OctalEscapeFromSeven',
    '"\\700"',
    [
      [0, 'Quoted', '"\\700"'],
      [6, 'EOF'],
    ],
  ],
  [
    'HexDigitBounds',
    '"\\xaA\\xfF\\x09"',
    [
      [0, 'Quoted', '"\\xaA\\xfF\\x09"'],
      [14, 'EOF'],
    ],
  ],
  [
    'OctalEscapeRefusesLetters',
    '"\\1a2"',
    [
      [0, 'Illegal', '"\\1a2"', 'illegal numeric escape sequence'],
      [6, 'EOF'],
    ],
  ],
  [
    'OctalEscapeRefusesCapitals',
    '"\\1A2"',
    [
      [0, 'Illegal', '"\\1A2"', 'illegal numeric escape sequence'],
      [6, 'EOF'],
    ],
  ],
  [
    'NumericEscapeEndsAtQuote',
    '"\\x4" a',
    [
      [0, 'Illegal', '"\\x4"', 'illegal numeric escape sequence'],
      [6, 'Field', 'a'],
      [7, 'EOF'],
    ],
  ],
  [
    'BadEscapeAtNewline',
    '"\\\n" a',
    [
      [0, 'Illegal', '"\\\n', 'illegal escape sequence'],
      [3, 'Illegal', '" a', 'illegal escape sequence'],
      [6, 'EOF'],
    ],
  ],
  [
    'FieldRuneBounds',
    'AZz.a09_',
    [
      [0, 'Field', 'AZz'],
      [3, 'Separator', '.'],
      [4, 'Field', 'a09_'],
      [8, 'EOF'],
    ],
  ],
];

describe('scanner', () => {
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(tokens(input), expected));
  }
});
