import type { Document } from 'domhandler';
import { ProfileError } from '../errors.js';
import { readField } from '../extract/rules.js';
import { autoProfile } from './auto.js';
import { hanwebFamily } from './hanweb.js';
import { tjEducation } from './tj-education.js';
import { trsFamily } from './trs.js';
import type { SiteProfile } from './types.js';

/** Looks profiles up by id, by URL, or by the `<meta>` values a page carries. */
export class ProfileRegistry {
  readonly #profiles = new Map<string, SiteProfile>();

  constructor(profiles: Iterable<SiteProfile> = []) {
    for (const profile of profiles) this.add(profile);
  }

  add(profile: SiteProfile): this {
    this.#profiles.set(profile.id, profile);
    return this;
  }

  get(id: string): SiteProfile {
    const profile = this.#profiles.get(id);
    if (!profile) {
      throw new ProfileError(
        'unknown-profile',
        `No profile named "${id}". Known profiles: ${[...this.#profiles.keys()].join(', ') || 'none'}.`,
      );
    }
    return profile;
  }

  list(): SiteProfile[] {
    return [...this.#profiles.values()];
  }

  /** The first profile whose hosts (and paths, if any) match the URL. */
  forUrl(url: URL): SiteProfile | undefined {
    for (const profile of this.#profiles.values()) {
      if (!profile.match.hosts.includes(url.hostname)) continue;
      const { paths } = profile.match;
      if (!paths || paths.some((path) => path.test(url.pathname))) return profile;
    }
    return undefined;
  }

  /** The first profile whose `match.meta` values all appear in the page's `<meta name=…>` tags. */
  forMeta(meta: ReadonlyMap<string, string>): SiteProfile | undefined {
    for (const profile of this.#profiles.values()) {
      const wanted = Object.entries(profile.match.meta ?? {});
      if (wanted.length > 0 && wanted.every(([name, value]) => meta.get(name) === value)) return profile;
    }
    return undefined;
  }

  /** The first profile whose `match.page` marks (a CMS family's script or permalink shape) are on the page. */
  forPage(document: Document): SiteProfile | undefined {
    for (const profile of this.#profiles.values()) {
      if (profile.match.page && readField(document, profile.match.page) !== undefined) return profile;
    }
    return undefined;
  }
}

/** The profiles that ship with the parser: sites first, then CMS families, then detection alone. */
export const builtinProfiles: readonly SiteProfile[] = [tjEducation, trsFamily, hanwebFamily, autoProfile];

/** The registry `parseListing`/`parseArticle` use unless given a profile. Add your own with `.add()`. */
export const profiles = new ProfileRegistry(builtinProfiles);
