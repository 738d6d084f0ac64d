'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="error-box">
      <strong>Something went wrong:</strong> {error.message}
      <div>
        <button onClick={reset} className="secondary">
          Try again
        </button>
      </div>
    </div>
  );
}
