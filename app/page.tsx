export default function Home() {
  return (
    <main className="mx-auto max-w-5xl p-8">
      <h1 className="text-2xl font-semibold">Thumbnail Studio</h1>
    </main>
  );
}
