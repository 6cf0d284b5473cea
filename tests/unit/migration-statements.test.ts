// Splitting a migration's SQL into statements, alone (pure). The migrations on both adapters are in tests/store/.
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../platform/store/migrations.js';

describe('splitting a migration into statements', () => {
  it('splits at semicolons outside quoted strings and dollar-quoted bodies, and drops comments', () => {
    expect(splitStatements(`-- a comment; not a statement
      select 'a;b', 'it''s; fine' ;
      select $t$ {"x": "y; z", "q": "it's"} $t$::jsonb; -- trailing
      select 1`)).toEqual([`select 'a;b', 'it''s; fine'`, `select $t$ {"x": "y; z", "q": "it's"} $t$::jsonb`, 'select 1']);
  });
});
