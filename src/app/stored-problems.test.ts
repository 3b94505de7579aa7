import { describe, expect, it } from 'vitest';
import { storedProblemsNote } from './stored-problems.ts';

const problem = (id: string) => ({
  kind: 'bad-record',
  file: `run ${id}`,
  field: 'history',
  message: `run ${id}: field "history" must be a list of epochs (it holds a string "nope").`,
});

describe('the note on stored records that could not be read', () => {
  it('says nothing when every record reads', () => {
    expect(storedProblemsNote([])).toBeNull();
  });

  it('one record: one sentence with its message', () => {
    expect(storedProblemsNote([problem('r2')])).toEqual({
      summary:
        '1 stored record could not be read and is left as it is: ' +
        'run r2: field "history" must be a list of epochs (it holds a string "nope").',
      items: [],
      folded: false,
    });
  });

  it('several: a count and one line each; more than three start folded', () => {
    const two = storedProblemsNote([problem('a'), problem('b')]);
    expect(two?.summary).toBe('2 stored records could not be read and are left as they are:');
    expect(two?.items).toEqual([problem('a').message, problem('b').message]);
    expect(two?.folded).toBe(false);
    const many = storedProblemsNote(['a', 'b', 'c', 'd'].map(problem));
    expect(many?.items).toHaveLength(4);
    expect(many?.folded).toBe(true);
  });
});
