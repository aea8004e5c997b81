#include <cstddef>

extern const char* const kFuzzSeeds[] = {
    "port 6379\nbind 127.0.0.1 -::1\nprofile queue\n",
    "maxmemory 100mb\nmaxmemory-policy allkeys-lru\n# comment\n\nappendfsync always\n",
    "dir \"/tmp/a b\"\nlogfile ''\nsave 900 1\nsave \"\"\n",
    "timeout 0\ntcp-keepalive 300\nproto-max-bulk-len 512mb\nhz 10\ndatabases 16\n",
};
extern const size_t kFuzzSeedCount = sizeof(kFuzzSeeds) / sizeof(kFuzzSeeds[0]);
