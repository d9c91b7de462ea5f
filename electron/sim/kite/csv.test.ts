import { describe, expect, it } from 'vitest';
import { instrumentsCsv } from './csv';
import { MEMORY_INSTRUMENTS } from './testing/memoryVenue';

describe('instrumentsCsv', () => {
  it('writes the exact header and CRLF rows, quotes where needed, and ends without a newline', () => {
    const infy = MEMORY_INSTRUMENTS[0]?.row;
    if (infy === undefined) throw new Error('no instrument');
    const text = instrumentsCsv([{ ...infy, name: 'INFOSYS, "LTD"' }]);
    expect(text).toBe(
      'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\r\n' +
        '408065,1594,INFY,"INFOSYS, ""LTD""",0,,0,0.05,1,EQ,NSE,NSE',
    );
  });
});
