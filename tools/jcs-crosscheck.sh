#!/usr/bin/env bash
# jcs-crosscheck.sh — compare `talentreg canonical` with an independent RFC 8785
# implementation, the npm package `canonicalize`, on random JSON documents.
#
# usage: tools/jcs-crosscheck.sh [TALENTREG] [COUNT] [SEED]
#
# A developer tool, not part of `make check` (it needs node, npm and the npm registry).
# Each document is random JSON text written the way a hostile or careless producer might:
# random whitespace, \u escapes of any character (surrogate pairs for non-BMP ones),
# controls, quotes, non-BMP and U+E000..U+FFFF keys (where UTF-16 order and code point order
# differ), numbers as integers, random IEEE-754 bit patterns, and respellings such as
# "1.50E+3" or "0.000120". Expected bytes are canonicalize(JSON.parse(text)). The same SEED
# gives the same documents; a mismatch leaves the document in the current directory.
set -euo pipefail

TR=${1:-build/talentreg}
COUNT=${2:-2000}
SEED=${3:-$(date +%s)}
TR=$(cd "$(dirname "$TR")" && pwd)/$(basename "$TR")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --silent --no-audit --no-fund --prefix "$work" canonicalize@5 >/dev/null

cat >"$work/check.js" <<'JS'
const { spawnSync } = require('child_process');
const fs = require('fs');
const lib = require(process.env.WORK + '/node_modules/canonicalize');
const canonicalize = lib.default || lib;
const [tr, count, seed] = [process.argv[2], +process.argv[3], +process.argv[4]];

let state = seed >>> 0; /* mulberry32 */
function rand() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (n) => Math.floor(rand() * n);
const ws = () => pick(['', '', '', ' ', '\n', '\t', '\r\n  ']);

function codePoint() {
    switch (int(8)) {
    case 0: return int(0x20);                          /* controls */
    case 1: return pick([0x22, 0x5c, 0x2f, 0x7f, 0x80]);
    case 2: return 0x10000 + int(0x100000);            /* non-BMP */
    case 3: return 0xe000 + int(0x2000);               /* sorts after surrogates */
    case 4: return 0xa0 + int(0xd800 - 0xa0);          /* rest of the BMP */
    default: return 0x20 + int(0x5f);                  /* printable ASCII */
    }
}
function stringText() {
    let s = '', t = '"';
    for (let n = int(8); n > 0; n--) {
        const cp = codePoint(), ch = String.fromCodePoint(cp);
        s += ch;
        const must = cp < 0x20 || cp === 0x22 || cp === 0x5c;
        if (must || rand() < 0.3) {
            const named = { 0x22: '\\"', 0x5c: '\\\\', 0x2f: '\\/', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t' };
            if (named[cp] && rand() < 0.5) {
                t += named[cp];
            } else {
                for (let i = 0; i < ch.length; i++) {
                    const hex = ch.charCodeAt(i).toString(16).padStart(4, '0');
                    t += '\\u' + (rand() < 0.5 ? hex : hex.toUpperCase());
                }
            }
        } else {
            t += ch;
        }
    }
    if (s.includes('\u0000')) return stringText(); /* talentreg refuses NUL, by design */
    return { value: s, text: t + '"' };
}
function numberText() {
    let x;
    switch (int(5)) {
    case 0: x = int(2000000) - 1000000; break;
    case 1: {
        const b = Buffer.alloc(8);
        for (let i = 0; i < 8; i++) b[i] = int(256);
        x = b.readDoubleBE(0);
        if (!Number.isFinite(x)) x = 0.5;
        break;
    }
    case 2: x = (rand() - 0.5) * Math.pow(10, int(60) - 30); break;
    case 3: x = Math.pow(2, int(2000) - 1000) * (rand() < 0.5 ? -1 : 1); break;
    default: x = int(100000) / pick([1, 10, 100, 1000, 1e6]); break;
    }
    let t = String(x);
    if (rand() < 0.5) { /* respell: exponent form, trailing zeros, upper case E, + sign */
        const m = t.match(/^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/);
        const digits = m[2] + (m[3] || ''), e = +(m[4] || 0) + m[2].length - 1;
        t = m[1] + digits[0] + '.' + (digits.slice(1) || '0') + '0'.repeat(int(3)) +
            pick(['e', 'E']) + (e >= 0 ? pick(['', '+']) : '-') + Math.abs(e);
    }
    return t;
}
function value(depth) {
    const k = depth > 5 ? int(4) : int(7);
    switch (k) {
    case 0: return pick(['null', 'true', 'false']);
    case 1: return numberText();
    case 2: case 3: return stringText().text;
    case 4: case 5: {
        const seen = new Set(), parts = [];
        for (let n = int(6); n > 0; n--) {
            const key = stringText();
            if (seen.has(key.value)) continue;
            seen.add(key.value);
            parts.push(ws() + key.text + ws() + ':' + ws() + value(depth + 1) + ws());
        }
        return '{' + parts.join(',') + ws() + '}';
    }
    default: {
        const parts = [];
        for (let n = int(5); n > 0; n--) parts.push(ws() + value(depth + 1) + ws());
        return '[' + parts.join(',') + ws() + ']';
    }
    }
}

let bad = 0;
for (let i = 0; i < count; i++) {
    const text = ws() + value(0) + ws();
    const want = Buffer.from(canonicalize(JSON.parse(text)), 'utf8');
    const r = spawnSync(tr, ['canonical', '-'], { input: text });
    if (r.status !== 0 || !want.equals(r.stdout)) {
        bad++;
        const name = `jcs-mismatch-${seed}-${i}.json`;
        fs.writeFileSync(name, text);
        console.log(`${name}: exit ${r.status} ${r.stderr}\n want ${want}\n  got ${r.stdout}`);
    }
}
console.log(`jcs-crosscheck: seed ${seed}: ${count - bad} passed, ${bad} failed`);
process.exit(bad === 0 ? 0 : 1);
JS
WORK=$work node "$work/check.js" "$TR" "$COUNT" "$SEED"
