/*
 * fuzz_merkle.c — RFC 9162 proof verification (tr_merkle_verify_inclusion,
 * tr_merkle_verify_consistency) and the proofs and roots behind them.
 *
 * The input is read as numbers and hashes. Arbitrary sizes, indices (up to 2^64 - 1) and
 * proofs of any length never crash the verifiers and never verify. A tree of up to 300
 * leaves made from the input has the root that the recursive definition of RFC 9162 gives;
 * its inclusion and consistency proofs verify, and stop verifying when one bit of a proof
 * or a root changes, or when the proof is offered for another leaf.
 *
 * fuzz-options: -max_len=4096 -len_control=0
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

#define MAX_LEAVES 300
#define H TR_MERKLE_HASH_LEN

struct cursor {
    const uint8_t *p;
    size_t left;
};

static uint64_t take(struct cursor *c, size_t bytes)
{
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; i++) {
        v = v << 8 | (c->left > 0 ? *c->p : 0);
        if (c->left > 0) {
            c->p++;
            c->left--;
        }
    }
    return v;
}

/* MTH(D[lo:hi]) straight from RFC 9162 section 2.1.1. */
static void mth(unsigned char (*leaves)[H], uint64_t lo, uint64_t hi, unsigned char out[H])
{
    if (hi - lo == 1) {
        memcpy(out, leaves[lo], H);
        return;
    }
    uint64_t k = 1;
    while (k * 2 < hi - lo) {
        k *= 2;
    }
    unsigned char left[H], right[H];
    mth(leaves, lo, lo + k, left);
    mth(leaves, lo + k, hi, right);
    FUZZ_ASSERT(tr_merkle_node_hash(left, right, out) == TR_OK);
}

/* Verifiers given the input's own numbers and hashes. */
static void arbitrary(struct cursor *c)
{
    unsigned char proof[TR_MERKLE_MAX_PROOF + 2][H], a[H], b[H];
    uint64_t x = take(c, 8), y = take(c, 8);
    size_t len = (size_t)take(c, 1) % (TR_MERKLE_MAX_PROOF + 3);
    for (size_t i = 0; i < len; i++) {
        for (size_t j = 0; j < H; j++) {
            proof[i][j] = (unsigned char)take(c, 1);
        }
    }
    memset(a, (int)take(c, 1), H);
    memset(b, (int)take(c, 1), H);
    int rc = tr_merkle_verify_inclusion(x, y, a, len > 0 ? proof : NULL, len, b, NULL);
    FUZZ_ASSERT(rc == TR_EVERIFY || (x == 0 && y == 1 && len == 0 && a[0] == b[0]));
    rc = tr_merkle_verify_consistency(x, y, len > 0 ? proof : NULL, len, a, b, NULL);
    FUZZ_ASSERT(rc == TR_EVERIFY || (x == y && x > 0 && len == 0 && a[0] == b[0]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cursor c = {data, size};
    struct tr_merkle_mem mem;
    struct tr_merkle_proof proof;
    unsigned char(*leaves)[H] = NULL;
    unsigned char root[H], want[H], old_root[H];
    struct tr_error err = {0};

    arbitrary(&c);

    uint64_t n = 1 + take(&c, 2) % MAX_LEAVES;
    uint64_t index = take(&c, 2) % n;
    uint64_t old = 1 + take(&c, 2) % n;
    size_t flip = (size_t)take(&c, 2);
    leaves = malloc(n * sizeof *leaves);
    FUZZ_ASSERT(leaves != NULL);
    tr_merkle_mem_init(&mem);
    for (uint64_t i = 0; i < n; i++) {
        unsigned char leaf[9];
        leaf[0] = (unsigned char)take(&c, 1);
        memcpy(leaf + 1, &i, sizeof i);
        FUZZ_ASSERT(tr_merkle_leaf_hash(leaf, sizeof leaf, leaves[i]) == TR_OK);
        FUZZ_ASSERT(tr_merkle_mem_append(&mem, leaves[i], &err) == TR_OK);
    }
    FUZZ_ASSERT(tr_merkle_root(n, tr_merkle_mem_get, &mem, root, &err) == TR_OK);
    mth(leaves, 0, n, want);
    FUZZ_ASSERT(memcmp(root, want, H) == 0);

    FUZZ_ASSERT(tr_merkle_prove_inclusion(index, n, tr_merkle_mem_get, &mem, &proof, &err) ==
                TR_OK);
    int rc = tr_merkle_verify_inclusion(index, n, leaves[index], proof.hash, proof.len, root, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    const uint64_t others[] = {0, index ^ 1, index + 1, index - 1, n - 1, n};
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        uint64_t other = others[k];
        if (other != index) {
            rc = tr_merkle_verify_inclusion(other, n, leaves[index], proof.hash, proof.len, root,
                                            NULL);
            FUZZ_ASSERT(rc == TR_EVERIFY);
        }
    }
    if (proof.len > 0) {
        size_t bit = flip % (proof.len * H * 8);
        proof.hash[bit / (H * 8)][bit / 8 % H] ^= (unsigned char)(1u << (bit % 8));
        rc = tr_merkle_verify_inclusion(index, n, leaves[index], proof.hash, proof.len, root, NULL);
        FUZZ_ASSERT(rc == TR_EVERIFY);
    }

    FUZZ_ASSERT(tr_merkle_root(old, tr_merkle_mem_get, &mem, old_root, &err) == TR_OK);
    mth(leaves, 0, old, want);
    FUZZ_ASSERT(memcmp(old_root, want, H) == 0);
    FUZZ_ASSERT(tr_merkle_prove_consistency(old, n, tr_merkle_mem_get, &mem, &proof, &err) ==
                TR_OK);
    rc = tr_merkle_verify_consistency(old, n, proof.hash, proof.len, old_root, root, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    if (proof.len > 0) {
        size_t bit = flip % (proof.len * H * 8);
        proof.hash[bit / (H * 8)][bit / 8 % H] ^= (unsigned char)(1u << (bit % 8));
        rc = tr_merkle_verify_consistency(old, n, proof.hash, proof.len, old_root, root, NULL);
        FUZZ_ASSERT(rc == TR_EVERIFY);
    }
    old_root[flip % H] ^= 1;
    rc = tr_merkle_verify_consistency(old, n, NULL, 0, old_root, root, NULL);
    FUZZ_ASSERT(rc == TR_EVERIFY);

    tr_merkle_mem_release(&mem);
    free(leaves);
    return 0;
}
