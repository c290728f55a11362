/*
 * fts_cjk.c — the search index's tokenizer (see fts_cjk.h and docs/search.md).
 *
 * This and fts_rank.c are the files besides db.c that include sqlite3.h. It runs no SQL: SQLite
 * calls the tokenizer back whenever FTS5 indexes a document or parses a query, through the
 * fts5_tokenizer structure, whose types only sqlite3.h declares. db.c fetches each
 * connection's fts5_api and hands it to tr_fts_cjk_register.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "fts_cjk.h"
#include "utf8.h"

/* What a code point is to the tokenizer. */
enum cls {
    SEP,  /* separates tokens */
    WORD, /* part of a word */
    CJK,  /* a character of a CJK run */
    SKIP  /* dropped without separating: combining marks, variation selectors, joiners */
};

/*
 * The code points above ASCII that are not word characters, sorted. This is a small
 * stand-in for the Unicode character database: the blocks of punctuation, symbols and
 * emoji are separators, the CJK scripts are read as characters, the rest are letters.
 */
static const struct range {
    uint32_t lo, hi;
    enum cls cls;
} ranges[] = {
    {0x0080, 0x00A9, SEP},   /* C1 controls, Latin-1 punctuation and symbols ... */
    {0x00AB, 0x00B4, SEP},   /* ... but ª, µ and º are letters */
    {0x00B6, 0x00B9, SEP},   /* ¶ · ¸ ¹ */
    {0x00BB, 0x00BF, SEP},   /* » ¼ ½ ¾ ¿ */
    {0x00D7, 0x00D7, SEP},   /* × */
    {0x00F7, 0x00F7, SEP},   /* ÷ */
    {0x0300, 0x036F, SKIP},  /* combining diacritical marks: a decomposed é is e */
    {0x1100, 0x11FF, CJK},   /* Hangul Jamo */
    {0x1AB0, 0x1AFF, SKIP},  /* combining diacritical marks extended */
    {0x1DC0, 0x1DFF, SKIP},  /* combining diacritical marks supplement */
    {0x2000, 0x200B, SEP},   /* spaces, zero width space */
    {0x200C, 0x200D, SKIP},  /* zero width non-joiner and joiner */
    {0x200E, 0x205F, SEP},   /* general punctuation */
    {0x2060, 0x2060, SKIP},  /* word joiner */
    {0x2061, 0x206F, SEP},   /* invisible operators, format characters */
    {0x20A0, 0x20CF, SEP},   /* currency symbols */
    {0x20D0, 0x20FF, SKIP},  /* combining marks for symbols (the keycap of 1️⃣) */
    {0x2100, 0x2BFF, SEP},   /* letterlike, number forms, arrows, maths, technical, boxes,
                                shapes, miscellaneous symbols, dingbats, braille */
    {0x2E00, 0x2FFF, SEP},   /* supplemental punctuation, CJK radicals, ideographic
                                description characters */
    {0x3000, 0x3004, SEP},   /* ideographic space, 、。〃〄 */
    {0x3005, 0x3007, CJK},   /* 々 〆 〇 (as in 二〇二四) */
    {0x3008, 0x3040, SEP},   /* CJK brackets and marks 〈〉《》「」【】〜 */
    {0x3041, 0x3096, CJK},   /* hiragana */
    {0x3097, 0x3098, SEP},   /* unassigned */
    {0x3099, 0x309A, SKIP},  /* combining voiced sound marks */
    {0x309B, 0x309C, SEP},   /* spacing voiced sound marks */
    {0x309D, 0x309F, CJK},   /* hiragana iteration marks */
    {0x30A0, 0x30A0, SEP},   /* ゠ */
    {0x30A1, 0x30FA, CJK},   /* katakana */
    {0x30FB, 0x30FB, SEP},   /* ・ */
    {0x30FC, 0x30FF, CJK},   /* ー and katakana iteration marks */
    {0x3100, 0x318F, CJK},   /* Bopomofo, Hangul compatibility Jamo */
    {0x3190, 0x319F, SEP},   /* kanbun */
    {0x31A0, 0x31BF, CJK},   /* Bopomofo extended */
    {0x31C0, 0x31EF, SEP},   /* CJK strokes */
    {0x31F0, 0x31FF, CJK},   /* katakana phonetic extensions */
    {0x3200, 0x33FF, SEP},   /* enclosed CJK letters, CJK compatibility */
    {0x3400, 0x4DBF, CJK},   /* CJK unified ideographs extension A */
    {0x4DC0, 0x4DFF, SEP},   /* Yijing hexagrams */
    {0x4E00, 0x9FFF, CJK},   /* CJK unified ideographs */
    {0xA960, 0xA97F, CJK},   /* Hangul Jamo extended A */
    {0xAC00, 0xD7FF, CJK},   /* Hangul syllables, Jamo extended B */
    {0xF900, 0xFAFF, CJK},   /* CJK compatibility ideographs */
    {0xFE00, 0xFE0F, SKIP},  /* variation selectors */
    {0xFE10, 0xFE1F, SEP},   /* vertical forms */
    {0xFE20, 0xFE2F, SKIP},  /* combining half marks */
    {0xFE30, 0xFE6F, SEP},   /* CJK compatibility forms, small form variants */
    {0xFEFF, 0xFEFF, SKIP},  /* zero width no-break space */
    {0xFF00, 0xFF0F, SEP},   /* fullwidth punctuation ... */
    {0xFF10, 0xFF19, WORD},  /* ... fullwidth digits ... */
    {0xFF1A, 0xFF20, SEP},   /* fullwidth ：；＜＝＞？＠ */
    {0xFF21, 0xFF3A, WORD},  /* ... fullwidth capitals ... */
    {0xFF3B, 0xFF40, SEP},   /* fullwidth ［＼］＾＿｀ */
    {0xFF41, 0xFF5A, WORD},  /* ... fullwidth small letters */
    {0xFF5B, 0xFF65, SEP},   /* fullwidth brackets, halfwidth CJK punctuation */
    {0xFF66, 0xFFDC, CJK},   /* halfwidth katakana and Hangul */
    {0xFFDD, 0xFFFF, SEP},   /* fullwidth symbols, specials (U+FFFD) */
    {0x1F000, 0x1FBFF, SEP}, /* game symbols, enclosed supplements, emoji, pictographs */
    {0x20000, 0x3FFFF, CJK}, /* CJK unified ideographs extensions B to H, compatibility
                                supplement */
    {0xE0000, 0xE0FFF, SKIP} /* tags (emoji flags), variation selectors supplement */
};

static enum cls classify(uint32_t cp)
{
    if (cp < 0x80) {
        int alnum =
            (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
        return alnum ? WORD : SEP;
    }
    size_t lo = 0, hi = sizeof ranges / sizeof ranges[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < ranges[mid].lo) {
            hi = mid;
        } else if (cp > ranges[mid].hi) {
            lo = mid + 1;
        } else {
            return ranges[mid].cls;
        }
    }
    return WORD;
}

/*
 * Base letters of U+00C0..U+00FF and U+0100..U+017F; '*' marks the ones folded to two
 * letters (see fold) and the two separators × and ÷.
 */
static const char latin1[] = "aaaaaa*ceeeeiiiidnooooo*ouuuuy**"
                             "aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";
static const char latin_a[] = "aaaaaaccccccccdd"
                              "ddeeeeeeeeeegggg"
                              "gggghhhhiiiiiiii"
                              "ii**jjkkklllllll"
                              "lllnnnnnnnnnoooo"
                              "oo**rrrrrrssssss"
                              "ssttttttuuuuuuuu"
                              "uuuuwwyyyzzzzzzs";
/* U+01CD..U+01DC: the pinyin vowels with tone marks (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ and capitals). */
static const char pinyin[] = "aaiioouuuuuuuuuu";

/* Write the folded form of word character cp to out; returns its length in bytes. */
static size_t fold(uint32_t cp, char out[4])
{
    const char *two = NULL;
    char base = 0;
    if (cp < 0x80) {
        base = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
    } else if (cp == 0xAA || cp == 0xBA) {
        base = cp == 0xAA ? 'a' : 'o';
    } else if (cp >= 0xC0 && cp <= 0x17F) {
        base = cp < 0x100 ? latin1[cp - 0xC0] : latin_a[cp - 0x100];
        if (base == '*') {
            switch (cp) {
            case 0xC6:
            case 0xE6:
                two = "ae";
                break;
            case 0xDE:
            case 0xFE:
                two = "th";
                break;
            case 0xDF:
                two = "ss";
                break;
            case 0x132:
            case 0x133:
                two = "ij";
                break;
            default: /* 0x152, 0x153 */
                two = "oe";
                break;
            }
        }
    } else if (cp >= 0x1CD && cp <= 0x1DC) {
        base = pinyin[cp - 0x1CD];
    } else if (cp == 0x1F8 || cp == 0x1F9) {
        base = 'n';
    } else if (cp == 0x1E3E || cp == 0x1E3F) {
        base = 'm';
    } else if (cp >= 0xFF10 && cp <= 0xFF5A) {
        uint32_t ascii = cp - 0xFEE0;
        base = (char)(ascii >= 'A' && ascii <= 'Z' ? ascii + 32 : ascii);
    } else if ((cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F)) {
        cp += 0x20; /* Greek and Cyrillic capitals */
    } else if (cp >= 0x400 && cp <= 0x40F) {
        cp += 0x50;
    }
    if (two != NULL) {
        memcpy(out, two, 2);
        return 2;
    }
    if (base != 0) {
        out[0] = base;
        return 1;
    }
    return tr_utf8_encode(cp, (unsigned char *)out);
}

/* The tokenizer's state while it walks one text. */
struct walk {
    const char *text;
    enum tr_fts_cjk_mode mode;
    tr_fts_cjk_emit_fn emit;
    void *ctx;
    char word[TR_FTS_CJK_WORD_MAX]; /* the folded word read so far */
    size_t word_len;                /* its bytes; 0 when no word is open */
    int word_full;                  /* a character did not fit: the rest is skipped */
    size_t word_start, word_end;    /* its byte range in text */
    size_t run;                     /* characters of the open CJK run; 0 when none */
    size_t prev_start, prev_end;    /* the byte range of the run's last character */
    char prev[4];                   /* that character folded to simplified, UTF-8 */
    size_t prev_len;                /* its bytes */
};

/* Emit the open word, if any. */
static int end_word(struct walk *w)
{
    int rc = 0;
    if (w->word_len > 0) {
        rc = w->emit(w->ctx, 0, w->word, w->word_len, w->word_start, w->word_end);
    }
    w->word_len = 0;
    w->word_full = 0;
    return rc;
}

static int add_word(struct walk *w, uint32_t cp, size_t start, size_t end)
{
    char folded[4];
    size_t n = fold(cp, folded);
    if (w->word_len == 0) {
        w->word_start = start;
    }
    if (!w->word_full && w->word_len + n <= sizeof w->word) {
        memcpy(w->word + w->word_len, folded, n);
        w->word_len += n;
        w->word_end = end;
    } else {
        w->word_full = 1;
    }
    return 0;
}

/* Emit the unigram of the run's last character (prev). */
static int unigram(struct walk *w, unsigned flags)
{
    return w->emit(w->ctx, flags | TR_FTS_CJK_CJK, w->prev, w->prev_len, w->prev_start,
                   w->prev_end);
}

/* Emit the bigram of the run's last character and the character cur, which ends at end. */
static int bigram(struct walk *w, unsigned flags, const char *cur, size_t cur_len, size_t end)
{
    char pair[8];
    memcpy(pair, w->prev, w->prev_len);
    memcpy(pair + w->prev_len, cur, cur_len);
    return w->emit(w->ctx, flags | TR_FTS_CJK_CJK, pair, w->prev_len + cur_len, w->prev_start, end);
}

/*
 * The CJK character cp at [start, end), folded to simplified Chinese (tr_fts_cjk_simplify),
 * so that 電池 and 电池 are the same tokens.
 */
static int add_cjk(struct walk *w, uint32_t cp, size_t start, size_t end)
{
    char cur[4];
    size_t cur_len = tr_utf8_encode(tr_fts_cjk_simplify(cp), (unsigned char *)cur);
    int rc = 0;
    if (w->run > 0) {
        unsigned flags = w->mode == TR_FTS_CJK_DOCUMENT ? TR_FTS_CJK_COLOCATED
                         : w->run == 1                  ? TR_FTS_CJK_RUN
                                                        : 0;
        rc = bigram(w, flags, cur, cur_len, end);
    }
    memcpy(w->prev, cur, cur_len);
    w->prev_len = cur_len;
    w->prev_start = start;
    w->prev_end = end;
    if (rc == 0 && w->mode == TR_FTS_CJK_DOCUMENT) {
        rc = unigram(w, w->run == 0 ? TR_FTS_CJK_RUN : 0);
    }
    w->run++;
    return rc;
}

/* Close the open CJK run: a query ends it with the unigram of its last character. */
static int end_run(struct walk *w)
{
    int rc = 0;
    if (w->mode == TR_FTS_CJK_QUERY && w->run > 0) {
        rc = unigram(w, w->run == 1 ? TR_FTS_CJK_RUN : 0);
    }
    w->run = 0;
    return rc;
}

int tr_fts_cjk_tokenize(const char *text, size_t len, enum tr_fts_cjk_mode mode,
                        tr_fts_cjk_emit_fn emit, void *ctx)
{
    struct walk w = {.text = text, .mode = mode, .emit = emit, .ctx = ctx};
    const unsigned char *p = (const unsigned char *)text;
    int rc = 0;
    size_t i = 0;
    if (text == NULL) {
        len = 0;
    }
    while (rc == 0 && i < len) {
        uint32_t cp = 0;
        size_t n = tr_utf8_decode(p + i, len - i, &cp);
        enum cls cls = SEP;
        if (n == 0) {
            n = 1; /* a byte that starts no valid sequence separates, like punctuation */
        } else {
            cls = classify(cp);
        }
        switch (cls) {
        case WORD:
            rc = end_run(&w);
            if (rc == 0) {
                rc = add_word(&w, cp, i, i + n);
            }
            break;
        case CJK:
            rc = end_word(&w);
            if (rc == 0) {
                rc = add_cjk(&w, cp, i, i + n);
            }
            break;
        case SEP:
            rc = end_word(&w);
            if (rc == 0) {
                rc = end_run(&w);
            }
            break;
        case SKIP:
            break;
        }
        i += n;
    }
    if (rc == 0) {
        rc = end_word(&w);
    }
    if (rc == 0) {
        rc = end_run(&w);
    }
    return rc;
}

/* The FTS5 side: a stateless tokenizer that takes no arguments. */

struct fts5_call {
    void *ctx;
    int (*token)(void *ctx, int tflags, const char *token, int len, int start, int end);
};

static int fts5_emit(void *ctx, unsigned flags, const char *token, size_t len, size_t start,
                     size_t end)
{
    struct fts5_call *call = ctx;
    int tflags = (flags & TR_FTS_CJK_COLOCATED) != 0 ? FTS5_TOKEN_COLOCATED : 0;
    return call->token(call->ctx, tflags, token, (int)len, (int)start, (int)end);
}

/* The one instance every table shares: the tokenizer keeps no state between calls. */
static struct {
    int unused;
} instance;

static int cjk_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)unused;
    (void)argv;
    if (argc != 0) {
        return SQLITE_ERROR;
    }
    *out = (Fts5Tokenizer *)(void *)&instance;
    return SQLITE_OK;
}

static void cjk_delete(Fts5Tokenizer *tok)
{
    (void)tok;
}

static int cjk_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int len,
                        int (*token)(void *, int, const char *, int, int, int))
{
    struct fts5_call call = {ctx, token};
    (void)tok;
    enum tr_fts_cjk_mode mode =
        (flags & FTS5_TOKENIZE_QUERY) != 0 ? TR_FTS_CJK_QUERY : TR_FTS_CJK_DOCUMENT;
    return tr_fts_cjk_tokenize(text, len > 0 ? (size_t)len : 0, mode, fts5_emit, &call);
}

int tr_fts_cjk_register(struct fts5_api *api)
{
    fts5_tokenizer tokenizer = {cjk_create, cjk_delete, cjk_tokenize};
    int rc = api->xCreateTokenizer(api, TR_FTS_CJK_NAME, NULL, &tokenizer, NULL);
    return rc == SQLITE_OK ? tr_fts_rank_register(api) : rc;
}
