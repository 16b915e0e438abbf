// The `mappings` of a source map (Base64 VLQ, source-map spec v3), as absolute values per
// generated line and back: [[column, source?, line?, column?, name?], ...] for each line.
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...DIGITS].map((c, i) => [c, i]));

export function decodeMappings(mappings) {
  const state = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    const segments = [];
    for (const text of line.split(',')) {
      if (text === '') continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of text) {
        const digit = VALUE.get(c);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      segments.push(fields.map((delta, i) => (state[i] += delta)));
    }
    return segments;
  });
}

export function encodeMappings(lines) {
  const state = [0, 0, 0, 0, 0];
  return lines
    .map((segments) => {
      state[0] = 0;
      return segments
        .map((fields) =>
          fields
            .map((absolute, i) => {
              let delta = absolute - state[i];
              state[i] = absolute;
              let vlq = delta < 0 ? (-delta << 1) | 1 : delta << 1;
              let text = '';
              do {
                let digit = vlq & 31;
                vlq >>>= 5;
                if (vlq > 0) digit |= 32;
                text += DIGITS[digit];
              } while (vlq > 0);
              return text;
            })
            .join(''),
        )
        .join(',');
    })
    .join(';');
}
