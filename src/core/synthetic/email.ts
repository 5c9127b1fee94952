import type { EmailPattern } from './companies.js';
import type { Rng } from './random.js';

/**
 * E-mail addresses built from names, and the variants duplicates carry (case, Gmail dots, +tags).
 * Distinct people never share an address by accident: a fixed-size Bloom filter remembers the
 * addresses handed out (memory stays flat however many contacts are generated), and a taken one gets
 * a number appended, as mail providers and IT departments do (john.smith2@, john.smith84@).
 */

export class EmailRegistry {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** `expected`: about how many addresses will be claimed; sizes the filter (capped at 16 MiB). */
  constructor(expected: number) {
    let size = 1 << 16;
    while (size < expected * 32 && size < 1 << 27) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  /** Whether the mailbox is taken (compared the way providers do: case, Gmail dots, +tags ignored). */
  has(email: string): boolean {
    const [h1, h2] = hashes(mailboxKey(email));
    return this.get(h1 & this.mask) && this.get(h2 & this.mask);
  }

  add(email: string): void {
    const [h1, h2] = hashes(mailboxKey(email));
    this.set(h1 & this.mask);
    this.set(h2 & this.mask);
  }

  /** local@domain if nobody has it yet, else the same with a number appended. */
  claim(rng: Rng, local: string, domain: string, personal: boolean): string {
    let email = `${local}@${domain}`;
    for (let attempt = 0; this.has(email); attempt++) {
      const suffix =
        attempt < 3 ? (personal ? String(rng.range(1, 99)) : String(attempt + 2)) : rng.digits(4);
      email = `${local}${suffix}@${domain}`;
    }
    this.add(email);
    return email;
  }

  private get(bit: number): boolean {
    return (this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  private set(bit: number): void {
    this.bits[bit >>> 5]! |= 1 << (bit & 31);
  }
}

/** The mailbox an address delivers to: lower case, +tag dropped, dots dropped at Gmail. */
export function mailboxKey(email: string): string {
  const lower = email.toLowerCase();
  const at = lower.lastIndexOf('@');
  let local = lower.slice(0, at);
  const domain = lower.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'gmail.com' || domain === 'googlemail.com') return `${local.replace(/\./g, '')}@gmail.com`;
  return `${local}@${domain}`;
}

function hashes(text: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return [h1 >>> 0, (h2 ^ (h2 >>> 13)) >>> 0];
}

/** A work address local part under the company's convention (ascii slugs of the names). */
export function workLocal(pattern: EmailPattern, first: string, last: string): string {
  const f = first[0] ?? 'x';
  switch (pattern) {
    case 'first.last':
      return `${first}.${last}`;
    case 'flast':
      return `${f}${last}`;
    case 'f.last':
      return `${f}.${last}`;
    case 'firstl':
      return `${first}${last[0] ?? ''}`;
    case 'first_last':
      return `${first}_${last}`;
    case 'first':
      return first;
  }
}

/** A free-mail local part the way people pick their own: john.smith, jsmith84, smith.john... */
export function personalLocal(rng: Rng, first: string, last: string): string {
  const year = String(rng.range(55, 105) % 100).padStart(2, '0');
  switch (rng.int(8)) {
    case 0:
    case 1:
      return `${first}.${last}`;
    case 2:
      return `${first}${last}`;
    case 3:
      return `${first[0] ?? 'x'}${last}${year}`;
    case 4:
      return `${first}.${last}${year}`;
    case 5:
      return `${first}_${last}`;
    case 6:
      return `${last}.${first}`;
    default:
      return `${first}${year}`;
  }
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

export function emailLocal(email: string): string {
  return email.slice(0, email.lastIndexOf('@'));
}

export function isGmail(email: string): boolean {
  const d = emailDomain(email).toLowerCase();
  return d === 'gmail.com' || d === 'googlemail.com';
}

/** Same mailbox, other capitals: John.Smith@Gmail.com or JOHN.SMITH@GMAIL.COM. */
export function caseVariant(rng: Rng, email: string): string {
  if (rng.chance(0.3)) return email.toUpperCase();
  return email.replace(/(^|[.@_-])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Gmail ignores dots in the local part: john.smith ↔ johnsmith ↔ jo.hn.smith. */
export function gmailDotsVariant(rng: Rng, email: string): string {
  const local = emailLocal(email);
  const plain = local.replace(/\./g, '');
  let variant: string;
  if (plain !== local && rng.chance(0.6)) variant = plain;
  else {
    const at = rng.range(1, Math.max(1, plain.length - 1));
    variant = `${plain.slice(0, at)}.${plain.slice(at)}`;
    if (variant === local || variant.endsWith('.'))
      variant = plain === local ? `${plain[0]}.${plain.slice(1)}` : plain;
  }
  return `${variant}@${emailDomain(email)}`;
}

const TAGS = ['crm', 'news', 'shop', 'work', 'newsletter', 'promo', 'events', '2019', 'sales'];

/** Sub-addressing: john.smith+news@example.com reaches john.smith@example.com. */
export function plusTagVariant(rng: Rng, email: string): string {
  return `${emailLocal(email)}+${rng.pick(TAGS)}@${emailDomain(email)}`;
}
