/**
 * Which terminals are registered (pure). Asterisk reports contacts per AOR (= terminal): from
 * ARI ContactStatusChange, AMI ContactStatus (the second source) and AMI PJSIPShowContacts (the
 * snapshot after a connect). Both sources say the same things in slightly different words; they
 * are folded here into one book.
 */

export type ContactState = 'reachable' | 'unreachable' | 'removed';

/** Asterisk's contact status words (ARI and AMI), as a state. */
export function contactState(status: string): ContactState {
  switch (status.toLowerCase()) {
    case 'removed':
      return 'removed';
    case 'unreachable':
      return 'unreachable';
    // Created, Updated, NonQualified (no OPTIONS ping), Reachable, Unknown: a live registration.
    default:
      return 'reachable';
  }
}

export interface ContactView {
  uri: string;
  state: Exclude<ContactState, 'removed'>;
  since: Date;
}

export class RegistrationBook {
  private readonly contacts = new Map<string, Map<string, ContactView>>();

  /** Applies one contact report; returns true when the terminal's registered state changed. */
  update(sipUser: string, uri: string, status: string, at: Date): boolean {
    const before = this.isRegistered(sipUser);
    const state = contactState(status);
    const book = this.contacts.get(sipUser) ?? new Map<string, ContactView>();
    if (state === 'removed') {
      book.delete(uri);
    } else if (book.get(uri)?.state !== state) {
      book.set(uri, { uri, state, since: at });
    }
    if (book.size === 0) this.contacts.delete(sipUser);
    else this.contacts.set(sipUser, book);
    return before !== this.isRegistered(sipUser);
  }

  /** Replaces everything with a snapshot; returns the terminals whose registered state changed. */
  replaceAll(entries: { sipUser: string; uri: string; status: string }[], at: Date): string[] {
    const before = new Set(this.registeredUsers());
    this.contacts.clear();
    for (const e of entries) this.update(e.sipUser, e.uri, e.status, at);
    const after = new Set(this.registeredUsers());
    return [...new Set([...before, ...after])].filter((u) => before.has(u) !== after.has(u));
  }

  /** Forgets a terminal (deleted); returns true if it was registered. */
  forget(sipUser: string): boolean {
    const was = this.isRegistered(sipUser);
    this.contacts.delete(sipUser);
    return was;
  }

  isRegistered(sipUser: string): boolean {
    return [...(this.contacts.get(sipUser)?.values() ?? [])].some((c) => c.state === 'reachable');
  }

  contactsOf(sipUser: string): ContactView[] {
    return [...(this.contacts.get(sipUser)?.values() ?? [])];
  }

  registeredUsers(): string[] {
    return [...this.contacts.keys()].filter((u) => this.isRegistered(u));
  }
}
