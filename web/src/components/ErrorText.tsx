/** A message tied to a field by id (aria-describedby on the field), announced when it appears. */
export function ErrorText({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="error" role="alert">
      {message}
    </p>
  );
}
