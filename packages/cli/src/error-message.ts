import { builtinProfiles, LayoutError, ProfileError, type TidingsError } from '@tidings/parser';

/**
 * The library's messages name its options (`options.url`, `allowIncomplete: true`); here each
 * becomes the flag that sets it, or goes when no flag does.
 */
const IN_FLAGS: readonly [RegExp, string][] = [
  [/options\.profile:\s*"([^"]+)"/g, '--profile $1'],
  [/options\.profile\b/g, '--profile'],
  [/options\.url\b/g, '--url'],
  [/options\.contentType\b/g, '--content-type'],
  [/allowPrivateNetwork: true/g, '--allow-private-network'],
  [/`render: browser`/g, '`--render browser`'],
  [/ \(options\.maxBytes\)/g, ''],
  [/,? or pass allowIncomplete: true[^.]*/g, ''],
];

const WRITE_A_PROFILE = 'write a profile for the site and pass it with --profile <file.yaml>';

/** A parser or fetch error's message in the command's words: its flags, and what to do next. */
export function cliMessage(error: TidingsError): string {
  let message = error.message;
  for (const [pattern, replacement] of IN_FLAGS) message = message.replace(pattern, replacement);
  if (error instanceof ProfileError && error.code === 'unknown-profile') {
    return `--profile: ${message} Or name a .yaml/.json file holding a written profile.`;
  }
  // Its advice is the way on: reading the page in a browser, not writing rules for an empty page.
  if (error instanceof LayoutError && error.code === 'script-built') return message;
  if (error instanceof LayoutError && readsAnySite(error.profile)) {
    // Detection and the generic rules were tried; rules written for the site are the way on.
    if (/write the profile by hand\.$/.test(message)) {
      return message.replace(/write the profile by hand\.$/, `${WRITE_A_PROFILE}.`);
    }
    return `${message} To read it, ${WRITE_A_PROFILE}.`;
  }
  return message;
}

/** `auto` and the CMS families: profiles no one wrote for this site. */
function readsAnySite(profileId: string): boolean {
  return builtinProfiles.some((profile) => profile.id === profileId && profile.match.hosts.length === 0);
}
