/* check_fts_cjk.c — the search tokenizer: exact token streams of documents and queries. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts_cjk.h"
#include "talentreg.h"
#include "tr_test.h"

/*
 * A token stream written out: tokens separated by spaces, each "TEXT@START:END", with '^'
 * in front of the first token of a CJK run, '+' in front of a colocated one and '~' in
 * front of any other CJK token.
 */
struct stream {
    char text[4096];
    size_t len;
    size_t tokens;
    size_t input_len; /* every range must lie inside the input */
};

static int record(void *ctx, unsigned flags, const char *token, size_t len, size_t start,
                  size_t end)
{
    struct stream *s = ctx;
    ck_assert_uint_le(start, end);
    ck_assert_uint_le(end, s->input_len);
    ck_assert_uint_gt(len, 0);
    const char *mark = "";
    if ((flags & TR_FTS_CJK_RUN) != 0) {
        mark = "^";
    } else if ((flags & TR_FTS_CJK_COLOCATED) != 0) {
        mark = "+";
    } else if ((flags & TR_FTS_CJK_CJK) != 0) {
        mark = "~";
    }
    int n = snprintf(s->text + s->len, sizeof s->text - s->len, "%s%s%.*s@%zu:%zu",
                     s->tokens > 0 ? " " : "", mark, (int)len, token, start, end);
    ck_assert(n > 0 && (size_t)n < sizeof s->text - s->len);
    s->len += (size_t)n;
    s->tokens++;
    return 0;
}

/* The stream of the len bytes at text, copied to a buffer of exactly that size. */
static const char *tokens_n(const char *text, size_t len, enum tr_fts_cjk_mode mode)
{
    static struct stream s;
    memset(&s, 0, sizeof s);
    s.input_len = len;
    char *copy = malloc(len > 0 ? len : 1); /* no NUL after it: the sanitizer sees overreads */
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, len);
    ck_assert_int_eq(tr_fts_cjk_tokenize(copy, len, mode, record, &s), 0);
    free(copy);
    return s.text;
}

static const char *doc(const char *text)
{
    return tokens_n(text, strlen(text), TR_FTS_CJK_DOCUMENT);
}

static const char *query(const char *text)
{
    return tokens_n(text, strlen(text), TR_FTS_CJK_QUERY);
}

START_TEST(chinese_document_has_unigrams_and_colocated_bigrams)
{
    ck_assert_str_eq(doc("李娜"), "^李@0:3 +李娜@0:6 ~娜@3:6");
    ck_assert_str_eq(doc("电池管理"),
                     "^电@0:3 +电池@0:6 ~池@3:6 +池管@3:9 ~管@6:9 +管理@6:12 ~理@9:12");
    ck_assert_str_eq(doc("伟"), "^伟@0:3");
}
END_TEST

START_TEST(chinese_query_is_bigrams_then_last_unigram)
{
    ck_assert_str_eq(query("李娜"), "^李娜@0:6 ~娜@3:6");
    ck_assert_str_eq(query("电池管理"), "^电池@0:6 ~池管@3:9 ~管理@6:12 ~理@9:12");
    ck_assert_str_eq(query("电"), "^电@0:3");
}
END_TEST

START_TEST(chinese_punctuation_ends_a_run)
{
    ck_assert_str_eq(doc("张伟，李娜。"),
                     "^张@0:3 +张伟@0:6 ~伟@3:6 ^李@9:12 +李娜@9:15 ~娜@12:15");
    ck_assert_str_eq(query("「电池」"), "^电池@3:9 ~池@6:9");
    /* 〇 is a character of a run, as in a year written in Chinese numerals. */
    ck_assert_str_eq(query("二〇二四"), "^二〇@0:6 ~〇二@3:9 ~二四@6:12 ~四@9:12");
}
END_TEST

START_TEST(japanese_and_korean_are_runs)
{
    ck_assert_str_eq(query("東京タワー"), "^东京@0:6 ~京タ@3:9 ~タワ@6:12 ~ワー@9:15 ~ー@12:15");
    ck_assert_str_eq(query("한국어"), "^한국@0:6 ~국어@3:9 ~어@6:9");
    /* The middle dot of katakana separates. */
    ck_assert_str_eq(query("ジョン・スミス"),
                     "^ジョ@0:6 ~ョン@3:9 ~ン@6:9 ^スミ@12:18 ~ミス@15:21 ~ス@18:21");
}
END_TEST

START_TEST(traditional_characters_fold_to_simplified)
{
    /* The tokens are simplified; the ranges still point at the characters as written. */
    ck_assert_str_eq(doc("電池"), "^电@0:3 +电池@0:6 ~池@3:6");
    ck_assert_str_eq(query("電池管理"), "^电池@0:6 ~池管@3:9 ~管理@6:12 ~理@9:12");
    ck_assert_str_eq(query("歐陽"), "^欧阳@0:6 ~阳@3:6");
    ck_assert_str_eq(doc("髮發"), "^发@0:3 +发发@0:6 ~发@3:6");
    /* A character outside the basic plane, and one that is already simplified. */
    ck_assert_str_eq(query("㑮"), "^\xf0\xab\x9d\x88@0:3");
    ck_assert_str_eq(query("电"), "^电@0:3");
}
END_TEST

START_TEST(simplifying_twice_changes_nothing)
{
    ck_assert_uint_eq(tr_fts_cjk_simplify(0x96FB), 0x7535); /* 電 -> 电 */
    ck_assert_uint_eq(tr_fts_cjk_simplify(0x7535), 0x7535);
    ck_assert_uint_eq(tr_fts_cjk_simplify('A'), 'A');
    ck_assert_uint_eq(tr_fts_cjk_simplify(0x10FFFF), 0x10FFFF);
    size_t folded = 0, chained = 0, outside = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        uint32_t s = tr_fts_cjk_simplify(cp);
        folded += s != cp;
        chained += tr_fts_cjk_simplify(s) != s;
        /* Only the CJK ideograph blocks are folded (see tools/gen-t2s.sh). */
        outside += s != cp && !((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0x20000 && cp <= 0x2FA1F));
    }
    ck_assert_uint_eq(folded, 4111);
    ck_assert_uint_eq(chained, 0);
    ck_assert_uint_eq(outside, 0);
}
END_TEST

START_TEST(english_words_are_lowercased)
{
    const char *want = "battery@0:7 management@8:18 system@19:25 r@26:27 d@28:29";
    ck_assert_str_eq(doc("Battery Management System R&D"), want);
    ck_assert_str_eq(query("Battery Management System R&D"), want);
    ck_assert_str_eq(doc("GB32100-2015"), "gb32100@0:7 2015@8:12");
    ck_assert_str_eq(doc("industrial_professor"), "industrial@0:10 professor@11:20");
}
END_TEST

START_TEST(mixed_text_splits_at_script_changes)
{
    ck_assert_str_eq(doc("电池BMS研发v2"),
                     "^电@0:3 +电池@0:6 ~池@3:6 bms@6:9 ^研@9:12 +研发@9:15 ~发@12:15 v2@15:17");
    ck_assert_str_eq(query("电池BMS研发v2"),
                     "^电池@0:6 ~池@3:6 bms@6:9 ^研发@9:15 ~发@12:15 v2@15:17");
    ck_assert_str_eq(query("张伟 Zhang Wei"), "^张伟@0:6 ~伟@3:6 zhang@7:12 wei@13:16");
}
END_TEST

START_TEST(punctuation_and_operators_separate)
{
    ck_assert_str_eq(query("co-author"), "co@0:2 author@3:9");
    ck_assert_str_eq(query("C++"), "c@0:1");
    ck_assert_str_eq(query("name:x"), "name@0:4 x@5:6");
    ck_assert_str_eq(query("NEAR(a b)"), "near@0:4 a@5:6 b@7:8");
    ck_assert_str_eq(query("'; DROP TABLE record; --"), "drop@3:7 table@8:13 record@14:20");
    ck_assert_str_eq(query("batt*"), "batt@0:4");
    ck_assert_str_eq(query("\"*\" ( ) : ^ - + , . ; ! ? / \\ @ # $ % & = < > [ ] { } | ~ `"), "");
    ck_assert_str_eq(query(""), "");
    ck_assert_str_eq(query("\t\n\r\x01\x7f \xc2\xa0\xe3\x80\x80"),
                     ""); /* controls, NBSP, ideographic space */
}
END_TEST

START_TEST(latin_diacritics_are_folded)
{
    ck_assert_str_eq(doc("Ångström Éclair naïve"), "angstrom@0:10 eclair@11:18 naive@19:25");
    ck_assert_str_eq(doc("Straße ŒUVRE Æsir Þór"),
                     "strasse@0:7 oeuvre@8:14 aesir@15:20 thor@21:26");
    ck_assert_str_eq(doc("Łódź Dvořák İzmir"), "lodz@0:7 dvorak@8:16 izmir@17:23");
    /* Pinyin with tone marks, precomposed or with combining marks. */
    ck_assert_str_eq(doc("Lǐ Nà Lü Lǘ"), "li@0:3 na@4:7 lu@8:11 lu@12:15");
    ck_assert_str_eq(doc("Li\xcc\x8c Na\xcc\x80"), "li@0:2 na@5:7");
    /* ª and º are letters, × and ÷ separate. */
    ck_assert_str_eq(doc("1ª 2º 3×4÷5"), "1a@0:3 2o@4:7 3@8:9 4@11:12 5@14:15");
}
END_TEST

START_TEST(other_scripts_are_words)
{
    ck_assert_str_eq(doc("ΑΒΓ Москва ЁЖ"), "αβγ@0:6 москва@7:19 ёж@20:24");
    /* Fullwidth ASCII letters and digits are read as ASCII; fullwidth punctuation separates. */
    ck_assert_str_eq(doc("ＢＭＳ２０２４！ｖ２"), "bms2024@0:21 v2@24:30");
}
END_TEST

START_TEST(emoji_separate)
{
    ck_assert_str_eq(doc("电池🔋battery"), "^电@0:3 +电池@0:6 ~池@3:6 battery@10:17");
    /* Skin tones, zero width joiners, flags and keycaps leave nothing behind. */
    ck_assert_str_eq(doc("👍🏽 👩‍💻 🇨🇳 ok"), "ok@30:32");
    ck_assert_str_eq(doc("1️⃣"), "1@0:1");
    ck_assert_str_eq(doc("©®™✓★☆♥"), "");
}
END_TEST

START_TEST(joiners_and_selectors_do_not_separate)
{
    /* A variation selector inside a name keeps the run whole; the bigram spans it. */
    ck_assert_str_eq(doc("李\xef\xb8\x80娜"), "^李@0:3 +李娜@0:9 ~娜@6:9");
    ck_assert_str_eq(doc("ab\xe2\x80\x8d"
                         "cd"),
                     "abcd@0:7");
    /* A zero width space separates. */
    ck_assert_str_eq(doc("ab\xe2\x80\x8b"
                         "cd"),
                     "ab@0:2 cd@5:7");
}
END_TEST

START_TEST(invalid_utf8_separates_and_is_never_overread)
{
    ck_assert_str_eq(doc("\xff\xfe"
                         "ab\xc3(\xe4\xb8"),
                     "ab@2:4");
    ck_assert_str_eq(doc("x\xc0\xafy"), "x@0:1 y@3:4");         /* overlong '/' */
    ck_assert_str_eq(doc("x\xed\xa0\x80y"), "x@0:1 y@4:5");     /* a surrogate */
    ck_assert_str_eq(doc("x\xf4\x90\x80\x80y"), "x@0:1 y@5:6"); /* beyond U+10FFFF */
    ck_assert_str_eq(doc("电\xe6\xb1"), "^电@0:3");             /* truncated at the end */
    ck_assert_str_eq(doc("电\x80池"), "^电@0:3 ^池@4:7");
    /* Every byte value, every position: no crash, no read outside the input. */
    char all[256];
    for (int i = 0; i < 256; i++) {
        all[i] = (char)(255 - i);
    }
    for (size_t cut = 0; cut <= sizeof all; cut++) {
        tokens_n(all, cut, TR_FTS_CJK_DOCUMENT);
        tokens_n(all + (sizeof all - cut), cut, TR_FTS_CJK_QUERY);
    }
}
END_TEST

START_TEST(long_words_are_cut)
{
    char text[TR_FTS_CJK_WORD_MAX + 64];
    char want[2 * TR_FTS_CJK_WORD_MAX];
    memset(text, 'a', TR_FTS_CJK_WORD_MAX + 50);
    memcpy(text + TR_FTS_CJK_WORD_MAX + 50, " b", 3);
    memset(want, 'a', TR_FTS_CJK_WORD_MAX);
    snprintf(want + TR_FTS_CJK_WORD_MAX, sizeof want - TR_FTS_CJK_WORD_MAX, "@0:%d b@%d:%d",
             TR_FTS_CJK_WORD_MAX, TR_FTS_CJK_WORD_MAX + 51, TR_FTS_CJK_WORD_MAX + 52);
    ck_assert_str_eq(doc(text), want);
    /* A two-byte character that would cross the limit is not split. */
    memset(text, 'a', TR_FTS_CJK_WORD_MAX - 1);
    memcpy(text + TR_FTS_CJK_WORD_MAX - 1, "ж", 3);
    const char *got = doc(text);
    ck_assert_uint_eq(strcspn(got, "@"), TR_FTS_CJK_WORD_MAX - 1);
}
END_TEST

static int stop_second(void *ctx, unsigned flags, const char *token, size_t len, size_t start,
                       size_t end)
{
    int *seen = ctx;
    (void)flags, (void)token, (void)len, (void)start, (void)end;
    return ++*seen == 2 ? 7 : 0;
}

START_TEST(emit_result_stops_the_tokenizer)
{
    int seen = 0;
    ck_assert_int_eq(tr_fts_cjk_tokenize("a b c", 5, TR_FTS_CJK_DOCUMENT, stop_second, &seen), 7);
    ck_assert_int_eq(seen, 2);
    seen = 0;
    ck_assert_int_eq(tr_fts_cjk_tokenize("电池管理", 12, TR_FTS_CJK_DOCUMENT, stop_second, &seen),
                     7);
    ck_assert_int_eq(seen, 2);
    seen = 0;
    ck_assert_int_eq(tr_fts_cjk_tokenize(NULL, 0, TR_FTS_CJK_QUERY, stop_second, &seen), 0);
    ck_assert_int_eq(seen, 0);
}
END_TEST

Suite *fts_cjk_suite(void)
{
    Suite *s = suite_create("fts_cjk");
    TCase *tc = tcase_create("tokens");
    tcase_add_test(tc, chinese_document_has_unigrams_and_colocated_bigrams);
    tcase_add_test(tc, chinese_query_is_bigrams_then_last_unigram);
    tcase_add_test(tc, chinese_punctuation_ends_a_run);
    tcase_add_test(tc, japanese_and_korean_are_runs);
    tcase_add_test(tc, traditional_characters_fold_to_simplified);
    tcase_add_test(tc, simplifying_twice_changes_nothing);
    tcase_add_test(tc, english_words_are_lowercased);
    tcase_add_test(tc, mixed_text_splits_at_script_changes);
    tcase_add_test(tc, punctuation_and_operators_separate);
    tcase_add_test(tc, latin_diacritics_are_folded);
    tcase_add_test(tc, other_scripts_are_words);
    tcase_add_test(tc, emoji_separate);
    tcase_add_test(tc, joiners_and_selectors_do_not_separate);
    tcase_add_test(tc, invalid_utf8_separates_and_is_never_overread);
    tcase_add_test(tc, long_words_are_cut);
    tcase_add_test(tc, emit_result_stops_the_tokenizer);
    suite_add_tcase(s, tc);
    return s;
}
