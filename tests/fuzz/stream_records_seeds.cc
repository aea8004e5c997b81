#include <cstddef>

// The first byte picks the record (see stream_records_fuzz.cc): 'a' (97 % 3 == 1) a pending
// entry, 'b' a consumer, 'c' a group. Seeds cannot hold NUL bytes.
extern const char* const kFuzzSeeds[] = {
    "c\x08\x05\x10\x01\x18\x03",
    "a\x08\x90\x4e\x10\x02\x1a\x05"
    "alice",
    "b\x08\x7f",
    "a\x20\x96\x01\x2a\x03xyz",
    "cgarbage",
};
extern const size_t kFuzzSeedCount = sizeof(kFuzzSeeds) / sizeof(kFuzzSeeds[0]);
