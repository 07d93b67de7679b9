/** Times in the reader's locale and time zone; the exact RFC 3339 value stays in <time dateTime>. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}
