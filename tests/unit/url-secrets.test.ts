import { describe, expect, it } from 'vitest';
import {
  hasUrlPlaceholders,
  redactUrl,
  restoreUrlSecrets,
  splitCredentials,
  urlSecretValues,
  WELL_KNOWN_SECRET_QUERY,
} from '../../src/main/engine/secrets/url-secrets';

/** Where an http task's URL is shown (log, errors, API), its userinfo and secret query values are ***. */
describe('a URL as it may be shown', () => {
  it('masks the password of the userinfo, keeping the user name', () => {
    expect(redactUrl('https://ada:hunter2@example.test/path')).toBe('https://ada:***@example.test/path');
    expect(redactUrl('http://:only-password@example.test/')).toBe('http://:***@example.test/');
  });

  it('masks a user name that stands alone: it is the credential (`<api key>@host`)', () => {
    expect(redactUrl('https://sk_live_abc123@api.example.test/v1')).toBe('https://***@api.example.test/v1');
  });

  it.each(WELL_KNOWN_SECRET_QUERY)('masks the value of the well-known name %s, whatever its case', (name) => {
    expect(redactUrl(`https://example.test/?${name}=v4lue&page=2`)).toBe(`https://example.test/?${name}=***&page=2`);
    const upper = name.toUpperCase();
    expect(redactUrl(`https://example.test/?${upper}=v4lue`)).toBe(`https://example.test/?${upper}=***`);
  });

  it('masks the names the task marks (http.secretQuery), and only the values of secret names', () => {
    const url = 'https://example.test/q?Client_Secret=abc&session=s1&page=2';
    expect(redactUrl(url, ['client_secret', 'SESSION'])).toBe(
      'https://example.test/q?Client_Secret=***&session=***&page=2',
    );
    expect(redactUrl(url)).toBe(url);
  });

  it('matches encoded names, masks encoded values whole, and leaves the rest as written', () => {
    expect(redactUrl('https://example.test/?api%5Fkey=a%2Bb%20c&q=caf%C3%A9+au+lait')).toBe(
      'https://example.test/?api%5Fkey=***&q=caf%C3%A9+au+lait',
    );
    // Every value of a repeated name; a bare name has no value to hide.
    expect(redactUrl('https://example.test/?token=one&token=two&key')).toBe(
      'https://example.test/?token=***&token=***&key',
    );
  });

  it('masks userinfo and query together, and leaves the fragment (never sent) alone', () => {
    expect(redactUrl('http://u:p4ss@127.0.0.1:8080/x?api_key=k3y&id=7#token=frag')).toBe(
      'http://u:***@127.0.0.1:8080/x?api_key=***&id=7#token=frag',
    );
  });

  it('gives back a URL without secrets exactly as written, not normalized', () => {
    for (const url of ['http://example.test', 'https://EXAMPLE.test:443/a/../b?x=1&y', 'https://example.test/?=x&&']) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it('is idempotent: a shown URL shows the same', () => {
    const shown = redactUrl('https://u:pw@example.test/?token=t0k3n', ['x']);
    expect(redactUrl(shown, ['x'])).toBe(shown);
  });

  it('masks a string that does not parse as a URL whole: there is no telling where a secret in it is', () => {
    expect(redactUrl('http://user:pass@[not-a-host/?api_key=k')).toBe('***');
    expect(redactUrl('')).toBe('***');
  });
});

describe('the secrets of a URL, for the redaction list', () => {
  it('lists the password and secret query values, as written and decoded', () => {
    expect(urlSecretValues('https://ada:p%40ss@example.test/?api_key=a%2Bb+c&id=7&sid=s3ss', ['sid'])).toEqual([
      'p%40ss',
      'p@ss',
      'a%2Bb+c',
      'a+b c',
      's3ss',
    ]);
  });

  it('lists a lone user name, and nothing for a URL without secrets or one that does not parse', () => {
    expect(urlSecretValues('https://tok_123456@example.test/')).toEqual(['tok_123456']);
    expect(urlSecretValues('https://example.test/?id=7')).toEqual([]);
    expect(urlSecretValues('::not a url::')).toEqual([]);
  });
});

describe('keeping stored URL secrets on tasks.update (*** as the API showed them)', () => {
  const stored = 'https://ada:hunter2@example.test/v1?api_key=k1&api_key=k2&id=7';

  it('puts back each *** from the stored URL, by place: password, then the n-th value of a name', () => {
    expect(hasUrlPlaceholders(redactUrl(stored))).toBe(true);
    expect(restoreUrlSecrets(redactUrl(stored), stored)).toBe(stored);
    // Other parts may change around the kept secrets.
    expect(restoreUrlSecrets('https://bob:***@other.test/v2?id=8&api_key=***', stored)).toBe(
      'https://bob:hunter2@other.test/v2?id=8&api_key=k1',
    );
    expect(restoreUrlSecrets('https://***@example.test/', 'https://tok_1@example.test/')).toBe(
      'https://tok_1@example.test/',
    );
  });

  it('leaves a URL without *** as it is, and a *** under a name that is no secret is a value', () => {
    expect(hasUrlPlaceholders('https://example.test/?q=***')).toBe(false);
    expect(restoreUrlSecrets('https://example.test/?q=***', stored)).toBe('https://example.test/?q=***');
  });

  it('refuses a *** with nothing stored to keep, naming the field', () => {
    expect(() => restoreUrlSecrets('https://ada:***@example.test/', null)).toThrow(
      /^http\.url: \*\*\* in place of the password keeps the task's stored one, and this task's URL has none/,
    );
    expect(() => restoreUrlSecrets('https://example.test/?token=***', 'https://example.test/?id=1')).toThrow(
      /^http\.url: \*\*\* in place of the value of token keeps/,
    );
    expect(() => restoreUrlSecrets('https://example.test/?api_key=***&api_key=***&api_key=***', stored)).toThrow(
      /the value of api_key/,
    );
  });
});

describe('userinfo as sent', () => {
  it('becomes Basic credentials (decoded), and leaves the URL: fetch refuses a URL with credentials', () => {
    const { url, basic } = splitCredentials('https://ada:p%40ss@example.test/x?y=1');
    expect(url).toBe('https://example.test/x?y=1');
    expect(Buffer.from(basic ?? '', 'base64').toString()).toBe('ada:p@ss');
    expect(splitCredentials('https://example.test/')).toEqual({ url: 'https://example.test/', basic: null });
  });
});
