import { signedInSession } from "@/lib/access-request";

/**
 * The nav's sign-out controls, shown only to a browser signed in with the studio password: "Sign out"
 * forgets this browser's session; "everywhere" ends every session, copies of this one included.
 */
export async function SignOut() {
  if (!(await signedInSession())) return null;
  return (
    <form method="post" action="/signout" className="ml-auto flex gap-3">
      <button type="submit" className="text-zinc-400 hover:text-zinc-100">
        Sign out
      </button>
      <button
        type="submit"
        name="everywhere"
        value="1"
        className="text-zinc-400 hover:text-zinc-100"
        title="Ends every browser's session, this one's and any copy of it, on every server (others within 5 s)"
      >
        Sign out everywhere
      </button>
    </form>
  );
}
