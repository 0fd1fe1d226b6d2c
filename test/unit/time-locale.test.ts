import { parseInstant, toRfc3339 } from '../../src/util/time';

describe('date-time text without Intl', () => {
  test('instants with an offset or a bare date parse to the same moment; text without an offset is not an instant', () => {
    expect(parseInstant('2024-03-01T12:30:00+02:00')?.toISOString()).toBe('2024-03-01T10:30:00.000Z');
    expect(parseInstant(' 2024-03-01T10:30:00Z ')?.toISOString()).toBe('2024-03-01T10:30:00.000Z');
    expect(parseInstant('2024-03-01')?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(parseInstant('2024-03-01T10:30:00')).toBeNull();
    expect(parseInstant('2024-13-01T10:30:00Z')).toBeNull();
    expect(parseInstant('yesterday')).toBeNull();
  });

  test('values are normalised to RFC3339 UTC; what is not a date is null', () => {
    expect(toRfc3339('2016-12-09T22:57:01.074Z')).toBe('2016-12-09T22:57:01.074Z');
    expect(toRfc3339('2016-12-09T23:57:01+01:00')).toBe('2016-12-09T22:57:01.000Z');
    expect(toRfc3339(1481324221074)).toBe('2016-12-09T22:57:01.074Z');
    expect(toRfc3339(1481324221)).toBe('2016-12-09T22:57:01.000Z');
    expect(toRfc3339('not a date')).toBeNull();
    expect(toRfc3339(true)).toBeNull();
  });

  test('parsing never asks Intl for the system locale (it loads ICU data the run then keeps: megabytes of RSS)', () => {
    const asked = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      // A fresh luxon: it remembers the system locale once asked, so earlier tests must not have answered for it.
      let parseInstant!: typeof import('../../src/util/time').parseInstant;
      let toRfc3339!: typeof import('../../src/util/time').toRfc3339;
      jest.isolateModules(() => ({ parseInstant, toRfc3339 } = require('../../src/util/time') as typeof import('../../src/util/time')));
      parseInstant('2024-03-01T12:30:00+02:00');
      parseInstant('2024-03-01');
      parseInstant('2024-03-01T10:30:00');
      toRfc3339('2016-12-09T23:57:01+01:00');
      toRfc3339(1481324221074);
      expect(asked).not.toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
  });
});
