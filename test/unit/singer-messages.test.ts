import { InputError, readSingerMessages } from '@tap-kustomer/singer-io';

/** The Singer message reader both targets use on stdin (packages/singer-io/src/read-messages.ts). */

async function read(chunks: Array<string | Buffer>, maxLineChars?: number): Promise<Array<[number, unknown]>> {
  const out: Array<[number, unknown]> = [];
  for await (const { lineNo, message } of readSingerMessages(chunks, maxLineChars)) out.push([lineNo, message]);
  return out;
}

async function failure(chunks: Array<string | Buffer>, maxLineChars?: number): Promise<string> {
  try {
    await read(chunks, maxLineChars);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected the reader to fail');
}

describe('readSingerMessages', () => {
  test('one message per line; blank lines skipped but counted; CRLF and a last line without a newline accepted', async () => {
    const got = await read(['{"type":"STATE","value":1}\r\n\n  \n{"type":"RE', 'CORD","stream":"s","record":{}}\n{"type":"STATE","value":2}']);
    expect(got).toEqual([
      [1, { type: 'STATE', value: 1 }],
      [4, { type: 'RECORD', stream: 's', record: {} }],
      [5, { type: 'STATE', value: 2 }],
    ]);
  });

  test('a UTF-8 character split across two chunks is decoded whole', async () => {
    const bytes = Buffer.from('{"type":"RECORD","record":{"name":"Zoë 🐧"}}\n', 'utf8');
    const cut = bytes.indexOf(0xf0) + 2; // inside the 4-byte penguin
    expect(await read([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([[1, { type: 'RECORD', record: { name: 'Zoë 🐧' } }]]);
  });

  test('a line that is not JSON: one line naming it, with the start of the line', async () => {
    expect(await failure(['{"type":"STATE","value":1}\n', 'this is not json\n'])).toBe('line 2: not a JSON object: this is not json');
    expect(await failure([`{${'x'.repeat(200)}\n`])).toBe(`line 1: not a JSON object: {${'x'.repeat(79)}…`);
  });

  test.each([['[1,2]'], ['"STATE"'], ['null'], ['{"stream":"s"}'], ['{"type":7}']])('%s is not a Singer message', async (line) => {
    expect(await failure([`${line}\n`])).toBe('line 1: expected a JSON object with a "type"');
  });

  test('a line longer than the limit stops the run, whether or not its newline ever comes', async () => {
    const long = `{"type":"STATE","value":"${'v'.repeat(100)}"}`;
    expect(await read([`${long}\n`], long.length)).toHaveLength(1);
    expect(await failure(['{"type":"STATE","value":1}\n', `${long}\n`], long.length - 1)).toBe(`line 2: longer than ${long.length - 1} characters; not a Singer message`);
    expect(await failure(['{"type":"STATE","value":1}\n', long, long], long.length)).toBe(`line 2: longer than ${long.length} characters; not a Singer message`);
    expect(await failure([long], long.length - 1)).toBe(`line 1: longer than ${long.length - 1} characters; not a Singer message`);
  });
});
