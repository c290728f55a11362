// vc-crosscheck.mjs — the node half of tools/vc-crosscheck.sh, which installs the packages
// next to a copy of this file, makes the registry REG and runs:
//
//   TR=talentreg CONTEXT=schemas/context-v1.jsonld EXAMPLES=docs/examples \
//   node vc-crosscheck.mjs REG
//
// REG holds the store talent.db, the key files *.pem and the credentials rec*.json that
// talentreg signed. Prints a table of verdicts (Markdown); exits 0 when every verdict is
// the expected one, 1 otherwise.
import {spawnSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import diContext from '@digitalbazaar/data-integrity-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {
    createSignCryptosuite, createVerifyCryptosuite
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import jsonld from 'jsonld';

const {AssertionProofPurpose} = jsigs.purposes;
const TR = process.env.TR;
const REG = process.argv[2];
const DB = path.join(REG, 'talent.db');
const TR_CONTEXT_URL = 'https://talentreg.example/ns/v1';

let mismatches = 0;
const notes = [];
function note(s) {
    if (!notes.includes(s)) {
        notes.push(s);
    }
}

// ---- documents: local ones only -------------------------------------------------------

const localDocuments = new Map([
    ...credentialsContext.contexts,
    ...diContext.contexts,
    [TR_CONTEXT_URL, JSON.parse(fs.readFileSync(process.env.CONTEXT, 'utf8'))],
]);
const didKeyDriver = DidKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
const served = new Set();

async function documentLoader(url) {
    if (localDocuments.has(url)) {
        served.add(url);
        const document = structuredClone(localDocuments.get(url));
        return {contextUrl: null, documentUrl: url, document};
    }
    if (url.startsWith('did:key:')) {
        served.add('did:key (resolved locally)');
        return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
    }
    throw new Error(`documentLoader: '${url}' is not a local document (no network)`);
}

// ---- keys: talentreg's key files, read with node's own PKCS#8 parser -------------------

const keysByVm = new Map();
const keysByFile = new Map();
for (const f of fs.readdirSync(REG).filter((f) => f.endsWith('.pem'))) {
    const pem = fs.readFileSync(path.join(REG, f));
    const seed = Buffer.from(crypto.createPrivateKey(pem).export({format: 'jwk'}).d, 'base64url');
    const {publicKeyMultibase} = await Ed25519Multikey.generate({seed});
    const key = await Ed25519Multikey.generate({seed, controller: `did:key:${publicKeyMultibase}`});
    keysByVm.set(key.id, key);
    keysByFile.set(f, key);
}

// ---- the library ----------------------------------------------------------------------

const proofsOf = (c) => (c.proof === undefined ? [] : [].concat(c.proof));
const clone = (x) => structuredClone(x);
const kindOf = (c) => c.type[1].replace(/Credential$/, '');
const vmOf = (pub) => `did:key:${pub}#${pub}`;
// The sample organisations' keys (docs/examples/organizations.yaml).
const MINJIANG = vmOf('z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp');
const NINGDE = vmOf('z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG');
const SINO = vmOf('z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2');

/*
 * Summarize a jsigs result on cred: `all` is the verdict of VC Data Integrity 1.0 (§ Verify
 * Proof Sets and Chains: every proof verifies), `lib` the library's own top-level
 * `verified`, `errors` the messages of the proofs that failed (or, when no proof was
 * checked, why not).
 */
function summarize(r, cred) {
    const results = r.results ?? [];
    const n = proofsOf(cred).length;
    const all = r.verified === true && n > 0 && results.length === n &&
        results.every((x) => x.verified);
    let errors = results.map((x) => x.error).flat().filter(Boolean);
    if (errors.length === 0 && r.error !== undefined) {
        errors = [r.error].flat();
    }
    errors = errors.map((e) => e.message ?? String(e));
    return {all, lib: r.verified === true, errors: [...new Set(errors)]};
}

/* jsigs.verify with the eddsa-jcs-2022 Data Integrity suite, purpose assertionMethod. */
async function dbVerify(cred) {
    const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
    const r = await jsigs.verify(clone(cred), {
        suite, purpose: new AssertionProofPurpose(), documentLoader
    });
    return summarize(r, cred);
}

/* vc.verifyCredential: the VC 2.0 data-model checks, then the proofs. Its clock is set
 * inside the credential's validity period: talentreg never judges by dates. */
async function vcVerify(cred, purpose = new AssertionProofPurpose()) {
    const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
    const now = cred.validFrom ?? proofsOf(cred)[0]?.created;
    const r = await vc.verifyCredential({
        credential: clone(cred), suite, purpose, documentLoader, now
    });
    return summarize(r, cred);
}

/* vc.issue once per signer, in order, each with its key and `created`: a proof set is
 * built the way co-signers build it. */
async function dbSign(unsigned, signers) {
    let c = clone(unsigned);
    for (const {vm, created} of signers) {
        const key = keysByVm.get(vm);
        if (key === undefined) {
            throw new Error(`no key file for '${vm}'`);
        }
        const suite = new DataIntegrityProof({
            signer: key.signer(), date: created, cryptosuite: createSignCryptosuite()
        });
        c = await vc.issue({
            credential: c, suite, purpose: new AssertionProofPurpose(), documentLoader
        });
    }
    return c;
}

// ---- talentreg ------------------------------------------------------------------------

let fileCount = 0;
function writeTemp(data, ext = 'json') {
    const f = path.join(REG, `cross-${String(++fileCount).padStart(3, '0')}.${ext}`);
    fs.writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data, null, 2) + '\n');
    return f;
}

/* Run talentreg on the store; exit 0 and 1 are verdicts, anything else is an error. */
function talentreg(args) {
    const r = spawnSync(TR, ['--db', DB, ...args], {encoding: 'utf8'});
    if (r.status !== 0 && r.status !== 1) {
        throw new Error(`talentreg ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    }
    return {ok: r.status === 0, out: r.stdout, err: r.stderr};
}
const trProofVerify = (cred) => talentreg(['proof', 'verify', writeTemp(cred)]);

/* The registry's verdict, as if cred were submitted now, with its reason codes. */
function trVerify(cred) {
    const r = talentreg(['verify', '--json', writeTemp(cred)]);
    return {ok: r.ok, codes: JSON.parse(r.out).reasons.map((x) => x.code)};
}

function trOrFail(args) {
    const r = talentreg(args);
    if (!r.ok) {
        throw new Error(`talentreg ${args[0]}: ${r.out}${r.err}`);
    }
    return r.out;
}
const trValidate = (yaml) => JSON.parse(trOrFail(['validate', writeTemp(yaml, 'yaml')]));
const trSign = (cred, keyFile, created) => JSON.parse(trOrFail(['proof', 'sign',
    writeTemp(cred), '--key', path.join(REG, keyFile), '--created', created]));
const trCosign = (cred, keyFile, created) => JSON.parse(trOrFail(['cosign',
    writeTemp(cred), '--key', path.join(REG, keyFile), '--created', created]));

// ---- tampered copies ------------------------------------------------------------------

/* A free-text field of every kind gets a word more: the copy still passes its schema. */
function changeSubject(c) {
    const s = c.credentialSubject;
    const k = ['name', 'title', 'project', 'course', 'purpose', 'reason'].find((k) => k in s);
    s[k] += ' (amended)';
    return c;
}
function changeCreated(c) {
    const p = proofsOf(c)[0];
    p.created = p.created.replace(/:(\d\d)Z$/,
        (m, s) => `:${String((+s + 1) % 60).padStart(2, '0')}Z`);
    return c;
}
function changeSignature(c, which) {
    const p = proofsOf(c)[which];
    const i = 20;
    const ch = p.proofValue[i] === 'A' ? 'B' : 'A';
    p.proofValue = p.proofValue.slice(0, i) + ch + p.proofValue.slice(i + 1);
    return c;
}
function removeSecondProof(c) {
    c.proof = [proofsOf(c)[0]];
    return c;
}

/* name, which credentials (all, or those with a proof set), the change, and whether the
 * proofs must still verify. Each proof of a set signs the document alone, so a set without
 * one of its proofs still verifies; the registry's signer rules judge that copy. */
const tampers = [
    ['a value in credentialSubject changed', 'all', changeSubject, false],
    ['proof `created` changed (+1 s)', 'all', changeCreated, false],
    ['one proofValue character changed', 'all', (c) => changeSignature(c, 0), false],
    ['proof set: second proof\'s proofValue changed', 'sets', (c) => changeSignature(c, 1), false],
    ['proof set: second proof removed', 'sets', removeSecondProof, true],
];
/* The registry's verdict on a copy without its second proof: a DualAppointment and a
 * RecognitionAgreement need both signers; a Contribution's co-signature is optional. */
const countsWithoutCosigner = (c) => kindOf(c) === 'Contribution';

// ---- the table ------------------------------------------------------------------------

const rows = [];
const libErrors = new Set(); // every reason the library gave for a proof that failed

/* One cell: how many credentials got each verdict (and the registry's reason codes);
 * want (true = verified, or a function of the credential) marks unexpected verdicts. */
function cell(verdicts, want) {
    const n = verdicts.length;
    if (n === 0) {
        return '—';
    }
    const ok = verdicts.filter((v) => v.ok).length;
    const codes = [...new Set(verdicts.flatMap((v) => v.codes ?? []))];
    let text = ok === n ? `verified ${n}` : ok === 0 ? `rejected ${n}`
        : `verified ${ok}, rejected ${n - ok}`;
    text += codes.length > 0 ? ` (${codes.join(', ')})` : '';
    if (want === undefined) {
        return text;
    }
    const bad = verdicts.filter((v) => v.ok !== (typeof want === 'function' ? want(v.cred) : want));
    mismatches += bad.length;
    return bad.length === 0 ? text : `${text} **UNEXPECTED ${bad.length}**`;
}

/* Verify creds and their tampered copies with both implementations; one row per case. */
async function direction(label, creds) {
    const sets = creds.filter((c) => proofsOf(c).length > 1);
    const cases = [
        ['genuine, one proof', creds.filter((c) => proofsOf(c).length === 1), (c) => c, true],
        ['genuine, proof set of 2', sets, (c) => c, true],
        ...tampers.map(([name, which, f, want]) => [name, which === 'all' ? creds : sets, f, want]),
    ];
    for (const [name, list, f, want] of cases) {
        const v = {di: [], lib: [], vc: [], tr: [], reg: []};
        for (const original of list) {
            const c = f(clone(original));
            const d = await dbVerify(c);
            const w = await vcVerify(c);
            v.di.push({ok: d.all, cred: c});
            v.lib.push({ok: d.lib, cred: c});
            v.vc.push({ok: w.all, cred: c});
            v.tr.push({ok: trProofVerify(c).ok, cred: c});
            if (w.lib !== d.lib) {
                note(`${label}: ${name}: vc.verifyCredential's \`verified\` differs from jsigs'`);
            }
            d.errors.forEach((e) => libErrors.add(e));
            if (!name.startsWith('genuine')) {
                const r = trVerify(c);
                v.reg.push({ok: r.ok, codes: r.codes, cred: c});
            }
        }
        const regWant = name.endsWith('removed') ? countsWithoutCosigner : want;
        rows.push([`${label}: ${name}`, want ? 'verified' : 'rejected', cell(v.di, want),
            cell(v.lib), cell(v.vc, want), cell(v.tr, want), cell(v.reg, regWant)]);
    }
}

// ---- 1. talentreg signs, the library verifies ------------------------------------------

const trCreds = fs.readdirSync(REG).filter((f) => /^rec\d+-.*\.json$/.test(f)).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(REG, f), 'utf8')));
await direction('talentreg → DB', trCreds);

// vc.verifyCredential's default purpose, CredentialIssuancePurpose, also requires the
// issuer to be the controller of the verification method. talentreg's issuers are URNs,
// bound to keys by the registry's Organization records (and the operator key), so without
// them it fails: reported, not judged. Given those bindings as controller documents, the
// issuer's own proof must pass it.
const issuance = [];
for (const c of trCreds) {
    issuance.push(await vcVerify(c, new vc.CredentialIssuancePurpose()));
}
const controllers = new Map([['urn:talentreg:operator',
    {id: 'urn:talentreg:operator', assertionMethod: [keysByFile.get('operator.pem').id]}]]);
for (const c of trCreds.filter((c) => kindOf(c) === 'Organization')) {
    const {id, keys} = c.credentialSubject;
    const assertionMethod = keys.map((did) => vmOf(did.slice('did:key:'.length)));
    controllers.set(id, {id, assertionMethod});
}
const single = trCreds.filter((c) => proofsOf(c).length === 1);
let bound = 0;
for (const c of single) {
    const controller = controllers.get(c.issuer);
    const w = await vcVerify(c, new vc.CredentialIssuancePurpose({controller}));
    bound += w.all ? 1 : 0;
    if (!w.all) {
        note(`issuer bound by the registry (${kindOf(c)}): ${w.errors.join('; ')}`);
    }
}
mismatches += bound === single.length ? 0 : 1;

// JSON-LD: expand every credential in safe mode, where a term that no context defines is
// an error instead of being dropped silently. (Drafts of the VC 2.0 context caught
// undefined terms with an @vocab instead; walk() finds those IRIs.)
const UNDEFINED = ['https://www.w3.org/ns/credentials/issuer-dependent#',
    'https://www.w3.org/ns/credentials/undefined-term#'];
function walk(node, found) {
    if (Array.isArray(node)) {
        node.forEach((x) => walk(x, found));
    } else if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
            for (const iri of [k, ...(k === '@type' ? [].concat(v) : [])]) {
                const u = UNDEFINED.find((p) => iri.startsWith(p));
                if (u !== undefined) {
                    found.add(iri.slice(u.length));
                }
            }
            walk(v, found);
        }
    }
}
/* The terms of c that the contexts leave undefined (safe mode stops at the first). */
async function undefinedTermsOf(c) {
    const found = new Set();
    try {
        walk(await jsonld.expand(clone(c), {documentLoader, safe: true}), found);
    } catch (e) {
        const term = e.details?.event?.details?.property;
        if (term === undefined) {
            throw e;
        }
        found.add(term);
    }
    return found;
}
let expanded = 0;
const undefinedTerms = new Set();
for (const c of trCreds) {
    try {
        const found = await undefinedTermsOf(c);
        found.forEach((t) => undefinedTerms.add(`${kindOf(c)}: ${t}`));
        expanded += found.size === 0 ? 1 : 0;
    } catch (e) {
        note(`JSON-LD expansion of a ${kindOf(c)}: ${e.message}`);
    }
}
mismatches += expanded === trCreds.length ? 0 : 1;

// Controls: the check sees an undefined term; nothing remote is fetched, neither a context
// nor a verification method; the issuer check refuses a key its controller does not list.
const controls = [];
function control(ok, text) {
    controls.push(ok ? text : `${text}: FAILED`);
    mismatches += ok ? 0 : 1;
}
{
    const c = clone(trCreds[0]);
    c.credentialSubject.notInContext = 'x';
    control((await undefinedTermsOf(c)).has('notInContext'), 'an undefined term is found');
    delete c.credentialSubject.notInContext;
    c['@context'].push('https://example.org/remote-context');
    const e = await jsonld.expand(c, {documentLoader, safe: true}).then(() => null, (e) => e);
    control(/not a local document/.test(`${e?.message} ${e?.details?.cause?.message}`),
        'a remote context is refused');
    const k = clone(trCreds[0]);
    proofsOf(k)[0].verificationMethod = 'https://example.org/keys/1';
    const d = await dbVerify(k);
    control(!d.lib && d.errors.some((m) => /not a local document/.test(m)),
        'a remote verification method is refused');
    const p = single.find((c) => kindOf(c) === 'Person');
    const other = {id: p.issuer, assertionMethod: [NINGDE]};
    const w = await vcVerify(p, new vc.CredentialIssuancePurpose({controller: other}));
    control(!w.lib, 'a key the issuer does not list fails the issuer check');
}

// ---- 2. the library signs, talentreg verifies ------------------------------------------

// talentreg's credentials re-signed by the library with the same keys and `created`:
// Ed25519 signatures are deterministic, so the proofValues must be the same bytes.
const resigned = [];
let identical = 0;
for (const c of trCreds) {
    const unsigned = clone(c);
    delete unsigned.proof;
    const signers = proofsOf(c).map((p) => ({vm: p.verificationMethod, created: p.created}));
    const d = await dbSign(unsigned, signers);
    resigned.push(d);
    const same = proofsOf(c).every((p, i) => p.proofValue === proofsOf(d)[i].proofValue);
    identical += same ? 1 : 0;
    if (!same) {
        note(`re-signed ${kindOf(c)}: a proofValue differs from talentreg's`);
    }
}
mismatches += identical === trCreds.length ? 0 : 1;

// New records the registry has not seen, signed by the library alone or in a proof set
// with talentreg, then submitted.
const example = (f, from, to) =>
    fs.readFileSync(path.join(process.env.EXAMPLES, f), 'utf8').replace(from, to);
const at = '2025-09-12T08:00:00Z';
const fresh = [
    // a placement, the host's proof by the library
    await dbSign(trValidate(example('enterprise-placement.yaml', 'hours: 1000', 'hours: 960')),
        [{vm: NINGDE, created: at}]),
    // a dual appointment, both proofs by the library
    await dbSign(trValidate(example('dual-appointment.yaml', 'workloadShare: 0.2',
        'workloadShare: 0.25')), [{vm: MINJIANG, created: at}, {vm: NINGDE, created: at}]),
    // a recognition agreement: talentreg signs, the library co-signs
    await dbSign(trSign(trValidate(example('recognition-agreement.yaml', 'hoursPerCredit: 16',
        'hoursPerCredit: 18')), 'minjiang.pem', at), [{vm: SINO, created: at}]),
    // a contribution: the library signs, `talentreg cosign` (which verifies it first) co-signs
    trCosign(await dbSign(trValidate(example('contribution.yaml', 'share: 0.4', 'share: 0.5')),
        [{vm: MINJIANG, created: at}]), 'ningde.pem', at),
];
let stored = 0;
for (const c of fresh) {
    const r = talentreg(['submit', writeTemp(c)]);
    stored += r.ok && /^stored /.test(r.out) ? 1 : 0;
    if (!r.ok) {
        note(`talentreg submit (${kindOf(c)}): ${r.out.trim()}`);
    }
}
mismatches += stored === fresh.length ? 0 : 1;
await direction('DB → talentreg', [...resigned, ...fresh]);

// ---- report ---------------------------------------------------------------------------

const version = (p) => JSON.parse(fs.readFileSync(
    new URL(`./node_modules/${p}/package.json`, import.meta.url), 'utf8')).version;
const packages = ['@digitalbazaar/vc', '@digitalbazaar/data-integrity',
    '@digitalbazaar/eddsa-jcs-2022-cryptosuite', '@digitalbazaar/ed25519-multikey',
    '@digitalbazaar/did-method-key', '@digitalbazaar/credentials-context',
    '@digitalbazaar/data-integrity-context', 'jsonld-signatures', 'jsonld'];
const print = (s = '') => console.log(s);
print(`${spawnSync(TR, ['--version'], {encoding: 'utf8'}).stdout.trim()}; ` +
    `node ${process.versions.node}`);
print(packages.map((p) => `${p}@${version(p)}`).join(', '));
print();
print(`${trCreds.length} credentials signed by talentreg, ` +
    `${trCreds.filter((c) => proofsOf(c).length > 1).length} of them with a proof set of 2; ` +
    `kinds: ${[...new Set(trCreds.map(kindOf))].join(', ')}.`);
print();
print('| case | expected | DI verify (every proof) | jsigs/vc `verified` | ' +
    'vc.verifyCredential | talentreg proof verify | talentreg verify (registry) |');
print('|---|---|---|---|---|---|---|');
rows.forEach((r) => print(`| ${r.join(' | ')} |`));
print();
print(`- JSON-LD expansion (safe mode) of the ${trCreds.length} credentials: ` +
    `${expanded} without an undefined term` +
    (undefinedTerms.size > 0 ? ` (undefined: ${[...undefinedTerms].join(', ')})` : '') +
    `; controls: ${controls.join(', ')}`);
print(`- re-signed by the library with the same key and created: ` +
    `${identical}/${trCreds.length} with byte-identical proofValues`);
print(`- new records signed by the library, alone or with talentreg: ` +
    `${stored}/${fresh.length} stored by talentreg submit`);
print(`- vc.verifyCredential with its default CredentialIssuancePurpose: ` +
    `${issuance.filter((w) => !w.all).length}/${issuance.length} rejected: ` +
    `${[...new Set(issuance.flatMap((w) => w.errors))].join('; ')}; with the registry's ` +
    `bindings as controller documents: ${bound}/${single.length} single-proof credentials pass`);
print(`- documents served: ${[...served].sort().join(', ')}`);
print(`- the library's reasons for the proofs it rejected: ${[...libErrors].join('; ')}`);
notes.forEach((n) => print(`- ${n}`));
print();
print(`vc-crosscheck: ${mismatches === 0 ? 'every verdict as expected'
    : `${mismatches} unexpected verdicts`}`);
process.exit(mismatches === 0 ? 0 : 1);
