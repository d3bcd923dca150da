// Content-Location of a read, as PostgREST builds it: parameters sorted by name, repeated names
// joined with `,`, everything but letters, digits and `-_.~` percent-encoded (upper case) by UTF-8 byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentLocation } from '../../src/http/routes/read.js';

/** The byte-by-byte definition the fast path must equal. */
const reference = (s: string) => [...Buffer.from(s, 'utf8')]
  .map((b) => (b < 128 && /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
  .join('');

describe('contentLocation', () => {
  it('sorts, joins repeats and encodes as PostgREST', () => {
    assert.equal(contentLocation('no_pk', '/no_pk?b=eq.1&a=eq.1'), '/no_pk?a=eq.1&b=eq.1');
    assert.equal(contentLocation('t', '/t?select=id,name&id=in.(1,2)&id=gt.0'), '/t?id=in.%281%2C2%29,gt.0&select=id%2Cname');
    assert.equal(contentLocation('t', '/t'), '/t');
    assert.equal(contentLocation('日本', '/%E6%97%A5%E6%9C%AC?x=%C3%A9+%21'), '/%E6%97%A5%E6%9C%AC?x=%C3%A9%20%21');
  });

  it('encodes every character as the byte-by-byte rule does', () => {
    const alphabet = "aZ09-_.~ !'()*,;:@&=+$/?#[]%\"<>\\^`{|}é€😀\u00ff\u0100";
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let n = i % 12; n > 0; n--) s += [...alphabet][(i * 31 + n * 7) % [...alphabet].length];
      const url = `/t?k=${encodeURIComponent(s)}`;
      assert.equal(contentLocation('t', url), `/t?k=${reference(s)}`, JSON.stringify(s));
    }
  });
});
