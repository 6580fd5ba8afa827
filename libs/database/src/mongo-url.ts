/** The hosts of a connection string, for logs: never its credentials or options. */
export function describeMongoUrl(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url);
  return match ? match[1] : 'the configured MongoDB';
}
