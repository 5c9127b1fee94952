import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { generateCrm } from '../../src/core/synthetic/index.js';
import { LOCALES } from '../../src/core/synthetic/locales.js';
import { formatPhone, PHONE_FORMATS, randomPhone } from '../../src/core/synthetic/phone.js';
import { Rng } from '../../src/core/synthetic/random.js';

describe('synthetic phone numbers', () => {
  // Every city's landline plan and every mobile plan, in every way of writing a number.
  it.each(LOCALES.map((l) => [l.country, l] as const))(
    '%s numbers parse as valid in every format',
    (_cc, locale) => {
      const rng = new Rng(17);
      for (const city of locale.cities) {
        for (const landline of [true, false]) {
          for (let i = 0; i < 15; i++) {
            const phone = randomPhone(rng, locale.phone, city, landline);
            const e164 = formatPhone(phone, 'e164');
            for (const format of PHONE_FORMATS) {
              const text = formatPhone(phone, format);
              const parsed = parsePhoneNumberFromString(text, locale.country);
              expect({ text, valid: parsed?.isValid(), number: parsed?.number }).toEqual({
                text,
                valid: true,
                number: e164,
              });
            }
          }
        }
      }
    },
  );

  it('writes one number in distinct ways (E.164, national, with and without country code)', () => {
    const de = LOCALES.find((l) => l.country === 'DE')!;
    const phone = { plan: de.phone, groups: ['30', '12345678'] };
    expect(formatPhone(phone, 'e164')).toBe('+493012345678');
    expect(formatPhone(phone, 'international')).toBe('+49 30 12345678');
    expect(formatPhone(phone, 'national')).toBe('030 12345678');
    expect(formatPhone(phone, 'bare')).toBe('30 12345678');
    expect(formatPhone(phone, 'idd')).toBe('0049 30 12345678');
    const us = LOCALES.find((l) => l.country === 'US')!;
    expect(formatPhone({ plan: us.phone, groups: ['212', '555', '0142'] }, 'national')).toBe(
      '(212) 555-0142',
    );
    const ru = LOCALES.find((l) => l.country === 'RU')!;
    expect(formatPhone({ plan: ru.phone, groups: ['495', '123-45-67'] }, 'national')).toBe(
      '8 (495) 123-45-67',
    );
  });

  it('gives every generated contact a phone its country parses as valid', () => {
    let checked = 0;
    for (const b of generateCrm({
      contacts: 3000,
      duplicateRate: 0.2,
      activitiesPerContact: 0,
      seed: 5,
      firstContactId: 1,
      users: 0,
      lists: 0,
    })) {
      for (const c of b.contacts) {
        if (c.phone === null) continue;
        checked++;
        expect({
          phone: c.phone,
          valid: parsePhoneNumberFromString(c.phone, c.country as 'US')?.isValid(),
        }).toEqual({
          phone: c.phone,
          valid: true,
        });
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});
