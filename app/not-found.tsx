import Link from 'next/link';

export default function NotFound() {
  return (
    <div role="alert" className="error-box">
      <strong>Not found.</strong> The node, Service or page does not exist in this snapshot.{' '}
      <Link href="/">Back to the overview</Link>
    </div>
  );
}
