export const REFRESH_COOKIE = 'strongroom_refresh';

/** The refresh cookie's `name=value` from a response, with its attributes. */
export function refreshCookie(headers: Record<string, unknown>): {
  pair: string;
  attributes: string;
} {
  const all = (headers['set-cookie'] as string[] | undefined) ?? [];
  const line = all.find((cookie) => cookie.startsWith(`${REFRESH_COOKIE}=`));
  if (!line) throw new Error(`no ${REFRESH_COOKIE} cookie in ${JSON.stringify(all)}`);
  const [pair, ...attributes] = line.split('; ');
  return { pair, attributes: attributes.join('; ') };
}
