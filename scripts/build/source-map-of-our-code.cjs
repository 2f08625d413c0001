// Keeps only our own code's mappings in a bundle's source map (esbuild.config.cjs).
'use strict';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((char, index) => [char, index]));

/** The Base64 VLQ values of one mappings segment (source map v3). */
function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = B64_VALUE.get(char);
    if (digit === undefined) throw new Error(`source map: ${char} is not Base64`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeValue(value) {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    text += B64[digit];
  } while (rest > 0);
  return text;
}

/**
 * The map with every segment whose source is a dependency (a path through node_modules) made unmapped, and
 * runs of unmapped segments folded into one, then the sources and names no segment uses dropped.
 * A stack frame in our code still maps to its file and line; one inside a dependency shows its place in
 * the bundle. Node (--enable-source-maps) holds every segment of a map as an array: the worker's full map
 * (4.7 MB, its dependencies' ~90 %) cost ~10 MB of its peak RSS (bench/README.md, figure 5).
 */
function sourceMapOfOurCode(map) {
  const ours = map.sources.map((source) => !/(^|[\\/])node_modules[\\/]/.test(source));
  const sourceIndex = new Map();
  const nameIndex = new Map();
  const sources = [];
  const names = [];
  const index = (table, list, key, value) => {
    if (!table.has(key)) {
      table.set(key, list.length);
      list.push(value);
    }
    return table.get(key);
  };
  // Absolute values across the whole mappings string (source, line, column, name), per the spec.
  let source = 0;
  let line = 0;
  let column = 0;
  let name = 0;
  // What was last written, to write the next as deltas.
  let out = { source: 0, line: 0, column: 0, name: 0 };
  const lines = map.mappings.split(';').map((generated) => {
    let generatedColumn = 0;
    let lastGeneratedColumn = 0;
    let unmapped = true;
    const segments = [];
    for (const text of generated ? generated.split(',') : []) {
      const values = decodeSegment(text);
      generatedColumn += values[0];
      if (values.length >= 4) {
        source += values[1];
        line += values[2];
        column += values[3];
        if (values.length >= 5) name += values[4];
      }
      const kept = values.length >= 4 && ours[source];
      if (!kept) {
        if (!unmapped) {
          segments.push(encodeValue(generatedColumn - lastGeneratedColumn));
          lastGeneratedColumn = generatedColumn;
          unmapped = true;
        }
        continue;
      }
      const newSource = index(sourceIndex, sources, source, map.sources[source]);
      let segment = encodeValue(generatedColumn - lastGeneratedColumn) + encodeValue(newSource - out.source) + encodeValue(line - out.line) + encodeValue(column - out.column);
      const next = { source: newSource, line, column, name: out.name };
      if (values.length >= 5) {
        const newName = index(nameIndex, names, name, map.names[name]);
        segment += encodeValue(newName - out.name);
        next.name = newName;
      }
      out = next;
      segments.push(segment);
      lastGeneratedColumn = generatedColumn;
      unmapped = false;
    }
    return segments.join(',');
  });
  return { ...map, sources, names, mappings: lines.join(';'), sourcesContent: undefined };
}

module.exports = { sourceMapOfOurCode };
