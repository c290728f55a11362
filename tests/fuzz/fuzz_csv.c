/*
 * fuzz_csv.c — CSV import: the CSV reader (tr_csv_reader_*) and the import's mapping of
 * rows to records (tr_import_run on a CSV file).
 *
 * Any bytes as a spreadsheet an HR office saved as CSV, imported as fuzz_import.h says,
 * with rows of at most 2048 bytes: no crash or leak, and every rejected row and problem
 * says where it is (line, and column where there is one).
 *
 * fuzz-options: -max_len=8192
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import_run(TR_IMPORT_CSV, data, size);
    return 0;
}
