export default function Loading() {
  return <p role="status" className="card">Loading the snapshot…</p>;
}
