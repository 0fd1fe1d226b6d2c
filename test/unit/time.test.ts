import { DateTime } from 'luxon';
import { parseInstant } from '../../src/util/time';

/** What parseInstant meant before its luxon-free shortcut for canonical UTC text: luxon reads every input. */
function luxonInstant(value: string): number | null {
  const trimmed = value.trim();
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(trimmed)
    ? DateTime.fromISO(trimmed, { zone: 'utc' })
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed)
      ? DateTime.fromISO(trimmed, { setZone: true })
      : DateTime.invalid('no offset');
  return parsed.isValid ? parsed.toMillis() : null;
}

describe('parseInstant', () => {
  // The shortcut takes text that prints back as itself through Date; everything else must still be luxon's answer.
  const inputs = [
    '2000-01-01T00:00:00Z',
    '2025-11-10T18:38:58.529Z',
    '2025-11-10T18:38:58.000Z',
    '2024-02-29T12:00:00Z',
    '2024-02-29',
    '2024-01-31',
    ' 2024-01-31 ',
    '0001-01-01T00:00:00Z',
    '0099-12-31',
    '9999-12-31T23:59:59.999Z',
    // not canonical: luxon decides
    '2023-02-29',
    '2023-02-29T00:00:00Z',
    '2024-02-30',
    '2024-13-01',
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:59:60Z',
    '2024-01-01T00:00:00.5Z',
    '2024-01-01T00:00:00.123456Z',
    '2024-01-01T00:00:00z',
    '2024-01-01T02:00:00+02:00',
    '2024-01-01T02:00:00+0200',
    '2024-01-01t00:00:00Z',
    '2024-01-01T00:00:00',
    '2024-01-01 00:00:00Z',
    '20240101T000000Z',
    '2024-1-1',
    '+002024-01-01T00:00:00.000Z',
    '1e12',
    '',
    'yesterday',
  ];

  test.each(inputs)('%j reads as luxon reads it', (input) => {
    expect(parseInstant(input)?.getTime() ?? null).toBe(luxonInstant(input));
  });

  test('a date is midnight UTC and an instant keeps its milliseconds', () => {
    expect(parseInstant('2024-01-31')?.toISOString()).toBe('2024-01-31T00:00:00.000Z');
    expect(parseInstant('2025-11-10T18:38:58.529Z')?.toISOString()).toBe('2025-11-10T18:38:58.529Z');
    expect(parseInstant('2024-02-30')).toBeNull();
    expect(parseInstant('2024-01-01T00:00:00')).toBeNull();
  });
});
