/**
 * Who the other party of a call is, in the CRM (CRM自動検索, §8-1): the live customers whose
 * phone is the far end's number, found in the CRM's phone index once per number a call has (an
 * index seek, on the hot path only as a read), and shown to each viewer only from the business
 * formats they may see (CRM権限, §11-1).
 *
 * The calls domain does not know the CRM: it asks through the CustomerDirectory port, which the
 * composition root fills with the CRM's caller lookup.
 */
import type { Principal } from '../platform/http/auth.js';
import { farEnd, type Call } from './model.js';

/** A customer the far end's number belongs to, as a call's viewers see it. */
export interface CustomerMatch {
  id: number;
  /** `#C<id>`, the ID the CRM screens and the chat use. */
  displayId: string;
  name: string;
  formatId: number;
  formatName: string;
}

export interface CustomerDirectory {
  /** Live customers with this phone (digits only, as the CRM stores them), a few at most. */
  matchPhone: (digits: string) => readonly CustomerMatch[];
  /**
   * Which business formats' customers the principal may see: asked once per viewer of an event
   * (it may read the database), then applied to each of the call's matches.
   */
  formatsSeenBy: (principal: Principal) => (formatId: number) => boolean;
}

/** A directory with no customers: the server without a CRM (and unit tests of the engine). */
export const NO_CUSTOMERS: CustomerDirectory = {
  matchPhone: () => [],
  formatsSeenBy: () => () => false,
};

/** One version of a call's event: the customers in it, and who gets that version. */
export interface CustomerAudience {
  customers: CustomerMatch[];
  admits: (principal: Principal) => boolean;
}

/** Beyond this many formats among a call's matches, the rest are not shown (never in practice). */
const MAX_FORMATS = 4;

/**
 * The spellings of a number that a customer may have been saved under: as it came, and a
 * carrier's +81 / 81 international form as the national 0… number (and the other way).
 */
export function phoneCandidates(number: string): string[] {
  const digits = number.replace(/[^\d+]/g, '');
  if (!/^\+?\d{2,}$/.test(digits)) return [];
  const national = /^\+?81(\d{9,10})$/.exec(digits);
  if (national !== null) return [digits, `0${national[1] ?? ''}`];
  return [digits];
}

export function createCallCustomers(directory: CustomerDirectory) {
  /** The latest lookup of each live call, kept while the far end's number stays the same. */
  const known = new Map<string, { number: string; matches: readonly CustomerMatch[] }>();

  const seenBy = (principal: Principal): ((formatId: number) => boolean) =>
    principal.permissions.has('customers.view') ? directory.formatsSeenBy(principal) : () => false;

  function matchesOf(call: Call): readonly CustomerMatch[] {
    // Between our own phones there is no customer to find.
    if (call.direction === 'internal') return [];
    const { number } = farEnd(call);
    const cached = known.get(call.id);
    if (cached?.number === number) return cached.matches;
    const byId = new Map<number, CustomerMatch>();
    for (const digits of phoneCandidates(number))
      for (const m of directory.matchPhone(digits)) if (!byId.has(m.id)) byId.set(m.id, m);
    const matches = [...byId.values()];
    if (call.state === 'ended') known.delete(call.id);
    else known.set(call.id, { number, matches });
    return matches;
  }

  return {
    /** The call's customers the principal may see. */
    visibleTo: (call: Call, principal: Principal): CustomerMatch[] => {
      const matches = matchesOf(call);
      if (matches.length === 0) return [];
      const sees = seenBy(principal);
      return matches.filter((m) => sees(m.formatId));
    },

    /**
     * The versions of a call's event: one per set of formats a viewer may see among the call's
     * matches, each admitting exactly the viewers of that set (so every viewer gets one).
     */
    audiences(call: Call): CustomerAudience[] {
      const matches = matchesOf(call);
      const formats = [...new Set(matches.map((m) => m.formatId))].slice(0, MAX_FORMATS);
      if (formats.length === 0) return [{ customers: [], admits: () => true }];
      // Each viewer's formats are read once per event, not once per version and format.
      const masks = new WeakMap<Principal, number>();
      const maskOf = (p: Principal): number => {
        const known = masks.get(p);
        if (known !== undefined) return known;
        const sees = seenBy(p);
        const mask = formats.reduce((m, f, i) => (sees(f) ? m | (1 << i) : m), 0);
        masks.set(p, mask);
        return mask;
      };
      return Array.from({ length: 1 << formats.length }, (_, mask) => ({
        customers: matches.filter((m) => {
          const i = formats.indexOf(m.formatId);
          return i >= 0 && (mask & (1 << i)) !== 0;
        }),
        admits: (p: Principal) => maskOf(p) === mask,
      }));
    },

    /** Drops what is kept of a call that is over. */
    forget: (callId: string): void => void known.delete(callId),
  };
}

export type CallCustomers = ReturnType<typeof createCallCustomers>;
