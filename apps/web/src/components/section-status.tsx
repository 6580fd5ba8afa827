import { ErrorAlert } from './error-alert';

/** What a section's last action did: its error as an alert, or its notice in a live region. */
export function SectionStatus({ error, notice }: { error?: string; notice?: string }) {
  return (
    <>
      <ErrorAlert message={error} />
      <p class="notice" role="status">
        {notice}
      </p>
    </>
  );
}
