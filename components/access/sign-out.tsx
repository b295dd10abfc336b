import { signedInSession } from "@/lib/access-request";

/** The nav's sign-out control, shown only to a browser signed in with the studio password. */
export async function SignOut() {
  if (!(await signedInSession())) return null;
  return (
    <form method="post" action="/signout" className="ml-auto">
      <button type="submit" className="text-zinc-400 hover:text-zinc-100">
        Sign out
      </button>
    </form>
  );
}
