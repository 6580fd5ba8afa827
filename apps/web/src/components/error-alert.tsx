export function ErrorAlert({ message }: { message: string | undefined }) {
  return message ? (
    <p class="alert error" role="alert">
      {message}
    </p>
  ) : null;
}
