/** Bad compositor input: `field` names the offending input so callers can map it to a 4xx. */
export class ComposeInputError extends Error {
  override name = "ComposeInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
