#include <cstddef>

extern const char* const kFuzzSeeds[] = {
    "\x05*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
    "\x01PING\r\nSET a \"b c\"\r\n",
    "\x03*2\r\n$4\r\nECHO\r\n$0\r\n\r\n*0\r\n*-1\r\n",
    "\x02set 'it\\'s' \"\\x41\\n\"\n",
    "\x07*1\r\n$2147483648\r\n",
};
extern const size_t kFuzzSeedCount = sizeof(kFuzzSeeds) / sizeof(kFuzzSeeds[0]);
