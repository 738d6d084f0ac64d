import { errorTitle } from '@/lib/errors';

/** A typed error shown by kind, with the server's reason as text. */
export function ErrorBox({
  error,
  title,
}: {
  error: { kind: string; message: string; issues?: { path: string; message: string }[] };
  title?: string;
}) {
  const heading = title ?? errorTitle(error.kind);
  return (
    <div role="alert" className="error-box" data-error-kind={error.kind}>
      <strong>{heading}:</strong> {error.message}
      {error.issues && error.issues.length > 0 && (
        <ul>
          {error.issues.map((i) => (
            <li key={i.path + i.message}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
