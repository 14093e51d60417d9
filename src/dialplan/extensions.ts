/**
 * The numbering plan's extensions (design §4): agents (200–799 by default), groups (800–899),
 * external transfers and feature codes share one space, so an extension belongs to at most one
 * of them. Domains register a lookup; creating or changing an extension asks `assertFree`.
 */
import { conflict } from '../platform/http/errors.js';

export interface ExtensionOwner {
  kind: string;
  id: number;
}

/**
 * Feature codes (spec §13): park pickup 9001–9099 (the default `PARK_SLOTS`; the server passes
 * its own range), conferences 9201–9203, 990, 994–998 (996: our barge code).
 */
export function isFeatureCode(
  extension: string,
  isParkSlot: (extension: string) => boolean = (e) => /^90\d\d$/.test(e) && e !== '9000',
): boolean {
  if (isParkSlot(extension)) return true;
  if (/^920[1-3]$/.test(extension)) return true;
  return ['990', '994', '995', '996', '997', '998'].includes(extension);
}

export interface ExtensionRegistry {
  register(kind: string, lookup: (extension: string) => number | undefined): void;
  owner(extension: string): ExtensionOwner | undefined;
  /** Throws 409 extension_taken unless the extension is free (or already `self`'s). */
  assertFree(extension: string, self?: ExtensionOwner): void;
}

/** `isParkSlot`: the configured park slots, reserved like the other feature codes. */
export function createExtensionRegistry(
  isParkSlot?: (extension: string) => boolean,
): ExtensionRegistry {
  const lookups: { kind: string; lookup: (extension: string) => number | undefined }[] = [];
  const owner = (extension: string): ExtensionOwner | undefined => {
    for (const { kind, lookup } of lookups) {
      const id = lookup(extension);
      if (id !== undefined) return { kind, id };
    }
    return undefined;
  };
  return {
    register(kind, lookup) {
      lookups.push({ kind, lookup });
    },
    owner,
    assertFree(extension, self) {
      if (isFeatureCode(extension, isParkSlot)) {
        throw conflict('extension_reserved', `${extension} is a feature code`);
      }
      const current = owner(extension);
      if (
        current !== undefined &&
        !(self !== undefined && current.kind === self.kind && current.id === self.id)
      ) {
        throw conflict(
          'extension_taken',
          `The extension ${extension} is in use (${current.kind} ${current.id})`,
        );
      }
    },
  };
}
