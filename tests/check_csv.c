/*
 * check_csv.c — RFC 4180 rows as a spreadsheet writes them: quoted fields with commas, quotes
 * and line breaks, CR LF, a byte order mark, blank lines; positions in characters; every
 * malformed row reported with its line and column, and the rows after it still read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

static struct tr_csv_reader *open_text(const char *text, size_t len, size_t max_row)
{
    struct tr_csv_reader *r = NULL;
    struct tr_error err = {0};
    ck_assert_msg(tr_csv_reader_open_mem(text, len, "t.csv", max_row, &r, &err) == TR_OK, "%s",
                  err.msg);
    return r;
}

/* Read the next row, which must be well formed, and compare its fields ("|"-joined). */
static void expect_row(struct tr_csv_reader *r, unsigned line, const char *fields)
{
    struct tr_csv_row row;
    struct tr_error err = {0};
    struct tr_buf got;
    tr_buf_init(&got);
    ck_assert_msg(tr_csv_reader_next(r, &row, &err) == TR_OK, "%s", err.msg);
    ck_assert_uint_gt(row.nfields, 0);
    ck_assert_uint_eq(row.pos.line, line);
    for (size_t i = 0; i < row.nfields; i++) {
        ck_assert_uint_eq(strlen(row.fields[i].text), row.fields[i].len);
        tr_buf_addf(&got, "%s%s", i > 0 ? "|" : "", row.fields[i].text);
    }
    ck_assert_str_eq(got.data, fields);
    tr_buf_release(&got);
}

static void expect_end(struct tr_csv_reader *r)
{
    struct tr_csv_row row;
    ck_assert_int_eq(tr_csv_reader_next(r, &row, NULL), TR_OK);
    ck_assert_uint_eq(row.nfields, 0);
    ck_assert_int_eq(tr_csv_reader_next(r, &row, NULL), TR_OK);
    ck_assert_uint_eq(row.nfields, 0);
}

static void expect_error(struct tr_csv_reader *r, int code, const char *msg)
{
    struct tr_csv_row row;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_csv_reader_next(r, &row, &err), code);
    ck_assert_uint_eq(row.nfields, 0);
    ck_assert_str_eq(err.msg, msg);
}

START_TEST(quoted_fields_hold_commas_quotes_and_line_breaks)
{
    static const char text[] = "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,row,,x";
    struct tr_csv_reader *r = open_text(text, sizeof text - 1, 1000);
    struct tr_csv_row row;
    ck_assert_int_eq(tr_csv_reader_next(r, &row, NULL), TR_OK);
    ck_assert_uint_eq(row.nfields, 4);
    ck_assert_str_eq(row.fields[0].text, "a");
    ck_assert_str_eq(row.fields[1].text, "b,c");
    ck_assert_str_eq(row.fields[2].text, "say \"hi\"");
    ck_assert_str_eq(row.fields[3].text, "two\nlines");
    const unsigned cols[] = {1, 3, 9, 22};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_uint_eq(row.fields[i].pos.line, 1);
        ck_assert_uint_eq(row.fields[i].pos.column, cols[i]);
    }
    ck_assert_uint_eq(tr_csv_reader_offset(r),
                      strlen("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"));
    expect_row(r, 3, "last|row||x");
    ck_assert_uint_eq(tr_csv_reader_offset(r), sizeof text - 1);
    expect_end(r);
    tr_csv_reader_free(r);
}
END_TEST

START_TEST(byte_order_mark_blank_lines_and_line_ends)
{
    static const char text[] = "\xEF\xBB\xBFkind,fte\r\n\r\n\nCredit,0.5\rlast,\"\"\n";
    struct tr_csv_reader *r = open_text(text, sizeof text - 1, 1000);
    struct tr_csv_row row;
    ck_assert_int_eq(tr_csv_reader_next(r, &row, NULL), TR_OK);
    ck_assert_str_eq(row.fields[0].text, "kind");
    ck_assert_uint_eq(row.fields[0].pos.column, 1);
    ck_assert_uint_eq(row.fields[1].pos.column, 6);
    expect_row(r, 4, "Credit|0.5");
    expect_row(r, 5, "last|");
    expect_end(r);
    tr_csv_reader_free(r);
}
END_TEST

START_TEST(columns_count_characters)
{
    static const char text[] = "名字,x\n张伟,\"李娜\",y\n";
    struct tr_csv_reader *r = open_text(text, sizeof text - 1, 1000);
    struct tr_csv_row row;
    ck_assert_int_eq(tr_csv_reader_next(r, &row, NULL), TR_OK);
    ck_assert_uint_eq(row.fields[1].pos.column, 4);
    ck_assert_int_eq(tr_csv_reader_next(r, &row, NULL), TR_OK);
    ck_assert_uint_eq(row.nfields, 3);
    ck_assert_uint_eq(row.fields[1].pos.line, 2);
    ck_assert_uint_eq(row.fields[1].pos.column, 4);
    ck_assert_uint_eq(row.fields[2].pos.column, 9);
    ck_assert_str_eq(row.fields[1].text, "李娜");
    expect_end(r);
    tr_csv_reader_free(r);
}
END_TEST

START_TEST(malformed_rows_are_reported_and_skipped)
{
    static const char text[] = "a,b\"c,d\nnext,row\n\"ab\"x,c\nok\n\xff,z\nv,\"w\xc3\"\nafter\n"
                               "abcdefghijk,l\nshort\n\"open,\nmore";
    struct tr_csv_reader *r = open_text(text, sizeof text - 1, 10);
    expect_error(r, TR_EPARSE,
                 "'t.csv' line 1 column 4: a quote may only open a field: quote the whole "
                 "field and double the quote");
    expect_row(r, 2, "next|row");
    expect_error(r, TR_EPARSE,
                 "'t.csv' line 3 column 5: a closing quote must be followed by a comma or the "
                 "end of the row");
    expect_row(r, 4, "ok");
    expect_error(r, TR_EPARSE,
                 "'t.csv' line 5 column 1: field is not valid UTF-8 (save the spreadsheet as "
                 "CSV UTF-8)");
    expect_error(r, TR_EPARSE,
                 "'t.csv' line 6 column 3: field is not valid UTF-8 (save the spreadsheet as "
                 "CSV UTF-8)");
    expect_row(r, 7, "after");
    expect_error(r, TR_ELIMIT, "'t.csv' line 8 column 1: row longer than 10 bytes");
    expect_row(r, 9, "short");
    expect_error(r, TR_EPARSE, "'t.csv' line 10 column 1: the quoted field is not closed");
    expect_end(r);
    tr_csv_reader_free(r);
}
END_TEST

START_TEST(nul_byte_is_refused)
{
    static const char text[] = "a,b\0c\nd\n";
    struct tr_csv_reader *r = open_text(text, sizeof text - 1, 100);
    expect_error(r, TR_EPARSE, "'t.csv' line 1 column 3: field holds a NUL byte");
    expect_row(r, 2, "d");
    expect_end(r);
    tr_csv_reader_free(r);
}
END_TEST

START_TEST(files_stream_across_blocks)
{
    char path[] = "/tmp/check_csv.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    /* 6,000 rows of 45 bytes: quoted fields with line breaks straddle the 64 KiB blocks. */
    for (int i = 0; i < 6000; i++) {
        fprintf(f, "\"row %05d, \"\"quoted\"\"\nsecond line\",%06d\r\n", i, i);
    }
    ck_assert_int_eq(fclose(f), 0);
    struct tr_csv_reader *r = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_csv_reader_open_file(path, 100, &r, &err), TR_OK);
    for (int i = 0; i < 6000; i++) {
        struct tr_csv_row row;
        char want[64];
        ck_assert_int_eq(tr_csv_reader_next(r, &row, &err), TR_OK);
        ck_assert_uint_eq(row.nfields, 2);
        ck_assert_uint_eq(row.pos.line, 2 * (unsigned)i + 1);
        snprintf(want, sizeof want, "row %05d, \"quoted\"\nsecond line", i);
        ck_assert_str_eq(row.fields[0].text, want);
        snprintf(want, sizeof want, "%06d", i);
        ck_assert_str_eq(row.fields[1].text, want);
        ck_assert_uint_eq(row.fields[1].pos.line, 2 * (unsigned)i + 2);
        ck_assert_uint_eq(row.fields[1].pos.column, 14);
    }
    expect_end(r);
    tr_csv_reader_free(r);
    unlink(path);
}
END_TEST

START_TEST(open_refuses_what_cannot_be_read)
{
    struct tr_csv_reader *r = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_csv_reader_open_file("/nonexistent/x.csv", 10, &r, &err), TR_EIO);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(err.msg, "cannot open '/nonexistent/x.csv': No such file or directory");
    ck_assert_int_eq(tr_csv_reader_open_mem("a", 1, NULL, 0, &r, &err), TR_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tr_csv_reader_open_mem(NULL, 0, NULL, 10, &r, &err), TR_OK);
    expect_end(r);
    tr_csv_reader_free(r);
    tr_csv_reader_free(NULL);
}
END_TEST

Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");
    tcase_add_test(tc, quoted_fields_hold_commas_quotes_and_line_breaks);
    tcase_add_test(tc, byte_order_mark_blank_lines_and_line_ends);
    tcase_add_test(tc, columns_count_characters);
    tcase_add_test(tc, malformed_rows_are_reported_and_skipped);
    tcase_add_test(tc, nul_byte_is_refused);
    tcase_add_test(tc, files_stream_across_blocks);
    tcase_add_test(tc, open_refuses_what_cannot_be_read);
    suite_add_tcase(s, tc);
    return s;
}
