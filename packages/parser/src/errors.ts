/** Every error the parser throws on purpose is a TidingsError: catch this one class. */
export class TidingsError extends Error {
  /** A stable, machine-readable reason, e.g. `too-large`, `binary`, `no-articles`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input is not something the parser can work on: empty, too large, truncated, bad options. */
export class InputError extends TidingsError {}

/** The bytes could not be turned into text: binary data, or a charset nothing can decode. */
export class DecodeError extends TidingsError {}

/** A date that cannot be read, is impossible (`2024-02-30`), or lies in the future of the reference time. */
export class DateError extends TidingsError {
  /** The text the date was read from. */
  readonly text: string;

  constructor(code: string, message: string, text: string) {
    super(code, message);
    this.text = text;
  }
}

/** No profile fits the page, or a profile given by name does not exist. */
export class ProfileError extends TidingsError {}

/**
 * The profile ran but the page does not have the layout it expects (a redesign, or not the page
 * you think). Carries the profile and the rule that found nothing so the fix is obvious.
 */
export class LayoutError extends TidingsError {
  readonly profile: string;
  readonly rule: string;
  readonly url: string | undefined;

  constructor(
    code: string,
    message: string,
    details: { profile: string; rule: string; url?: string | undefined },
  ) {
    super(code, message);
    this.profile = details.profile;
    this.rule = details.rule;
    this.url = details.url;
  }
}
