/**
 * Whether a failed pipe into a response only means the client went away: it hung up mid-body
 * (premature close), or before the first byte (the response was already destroyed when the pipe
 * began, which happens when storage took a moment to open). Neither is a fault on our side.
 */
export function clientWentAway(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_UNABLE_TO_PIPE';
}
