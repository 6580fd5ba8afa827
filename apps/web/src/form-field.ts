/** A text field of a submitted form ('' when absent: file inputs are not read this way). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
