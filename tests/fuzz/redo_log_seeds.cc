#include <cstddef>

// The first byte picks the mode (see redo_log_fuzz.cc); seeds cannot hold NUL bytes, so the
// framed mode ('b' = 98, 98 % 3 == 2) is how well-formed records are reached.
extern const char* const kFuzzSeeds[] = {
    "bxxxxapplied-and-deferred",
    "b\x01\x01\x01\x01",
    "astrata-redo-v1\n",
    "cgarbage that is not a log",
    "a\x7f\x7f\x7f\x7f\x01\x02\x03\x04payload",
};
extern const size_t kFuzzSeedCount = sizeof(kFuzzSeeds) / sizeof(kFuzzSeeds[0]);
