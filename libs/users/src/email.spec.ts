import { emailSkeleton, invisibleCharactersProblem, normalizeEmail } from './email';

const skeletonOf = (email: string) => emailSkeleton(normalizeEmail(email));

describe('normalizeEmail', () => {
  it.each([
    ['  Marta@Example.COM ', 'marta@example.com'],
    ['ａ@ｅｘａｍｐｌｅ.ｃｏｍ', 'a@example.com'],
    ['ﬁle@example.com', 'file@example.com'],
    ['é@example.com', 'é@example.com'],
    ['ÉCOLE@example.com', 'école@example.com'],
  ])('%j becomes %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
    expect(normalizeEmail(expected)).toBe(expected);
  });

  it('keeps a Cyrillic letter Cyrillic (the skeleton is what catches it)', () => {
    expect(normalizeEmail('\u0430@example.com')).not.toBe('a@example.com');
  });
});

describe('invisibleCharactersProblem', () => {
  it.each([
    ['zero-width space', 'a\u200b@example.com', 'U+200B'],
    ['soft hyphen', 'a\u00ad@example.com', 'U+00AD'],
    ['right-to-left override', '\u202emoc.elpmaxe@a', 'U+202E'],
    ['zero-width joiner', 'a\u200d@example.com', 'U+200D'],
    ['byte order mark inside', 'a\ufeffb@example.com', 'U+FEFF'],
    ['variation selector', 'a\ufe0f@example.com', 'U+FE0F'],
    ['Hangul filler', 'a\u3164@example.com', 'U+3164'],
    ['control character', 'a\u0007@example.com', 'U+0007'],
    ['private-use character', 'a\ue000@example.com', 'U+E000'],
  ])('names a %s', (_case, email, codePoint) => {
    expect(invisibleCharactersProblem(email)).toBe(
      `email contains invisible or formatting characters (${codePoint}); type the address without them`,
    );
  });

  it.each(['marta@example.com', 'zoë@example.com', 'пример@пример.рф', '用户@例子.中国'])(
    'accepts %j',
    (email) => {
      expect(invisibleCharactersProblem(email)).toBeUndefined();
    },
  );
});

describe('emailSkeleton', () => {
  it.each([
    ['fullwidth', 'ａ@example.com', 'a@example.com'],
    ['Cyrillic а', '\u0430@example.com', 'a@example.com'],
    ['Greek ο in the domain', 'a@exampl\u0435.c\u03bfm', 'a@example.com'],
    ['upper case', 'A@Example.com', 'a@example.com'],
    ['zero-width space', 'a\u200b@example.com', 'a@example.com'],
    ['soft hyphen', 'a\u00ad@example.com', 'a@example.com'],
    ['rn for m', 'rnarta@example.com', 'marta@example.com'],
  ])('gives a %s variant the skeleton of the original', (_case, variant, original) => {
    expect(skeletonOf(variant)).toBe(skeletonOf(original));
  });

  it('tells different addresses apart', () => {
    expect(skeletonOf('b@example.com')).not.toBe(skeletonOf('a@example.com'));
    expect(skeletonOf('a@example.org')).not.toBe(skeletonOf('a@example.com'));
  });
});
