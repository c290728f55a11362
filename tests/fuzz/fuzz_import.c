/*
 * fuzz_import.c — the other inputs of import: JSON lines of signed credentials (the
 * buffered stream of registry/stream.c and the import's line reader) and YAML streams of
 * records (tr_yaml_reader_* and the mapping of each document), through tr_import_run.
 *
 * The first byte picks the format (bit 0: 0 JSON lines, 1 YAML); the rest is the file,
 * imported as fuzz_import.h says, with items of at most 2048 bytes.
 *
 * fuzz-options: -max_len=8192
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    fuzz_import_run((data[0] & 1) != 0 ? TR_IMPORT_YAML : TR_IMPORT_JSONL, data + 1, size - 1);
    return 0;
}
