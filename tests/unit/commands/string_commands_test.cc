// String commands, with replies checked against Redis 7.0's.
#include <string>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

constexpr char kWrongType[] = "-WRONGTYPE Operation against a key holding the wrong kind of value";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range";
constexpr char kNotFloat[] = "-ERR value is not a valid float";
constexpr char kSyntax[] = "-ERR syntax error";

class StringCommandsTest : public ProfileTest {
 protected:
  // Only strings exist so far; a non-string entry is planted directly to test WRONGTYPE.
  void MakeNonString(const std::string& key) {
    storage::HotEntry* e = f_.ks().PutString(0, key, "x", 0);
    e->type = storage::ValueType::kList;
    // Not committed as a list on purpose: the entry only needs to look like one to commands
    // in this process. Stage it as it is so both profiles agree.
    f_.ks().ValueChanged(e);
    ASSERT_TRUE(f_.ks().Commit().ok());
  }
};

TEST_P(StringCommandsTest, GetSetBasics) {
  EXPECT_EQ(Run({"get", "k"}), "(nil)");
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"GET", "k"}), "\"v\"");
  EXPECT_EQ(Run({"set", "k", std::string("a\0b", 3)}), "+OK");
  EXPECT_EQ(f_.Call({"get", "k"}).str, std::string("a\0b", 3));
  EXPECT_EQ(RunRaw({"get", "missing"}, 2), "$-1\r\n");
  EXPECT_EQ(RunRaw({"get", "missing"}, 3), "_\r\n");
  EXPECT_EQ(Run({"get"}), "-ERR wrong number of arguments for 'get' command");
}

TEST_P(StringCommandsTest, SetOptionSyntax) {
  EXPECT_EQ(Run({"set", "k", "v", "nx", "xx"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "xx", "nx"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "ex", "10", "px", "10"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "px", "100", "pxat", "100"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "ex", "10", "keepttl"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "keepttl", "ex", "10"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "ex"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "foo"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "persist"}), kSyntax);
  // The syntax is checked before the number.
  EXPECT_EQ(Run({"set", "k", "v", "ex", "abc", "foo"}), kSyntax);
  EXPECT_EQ(Run({"set", "k", "v", "EX", "1O"}), kNotInt);
  // Repeating the same option is allowed; the last expiry wins.
  EXPECT_EQ(Run({"set", "k", "v", "nx", "nx"}), "+OK");
  EXPECT_EQ(Run({"set", "k", "v", "ex", "10", "ex", "20"}), "+OK");
  EXPECT_EQ(Run({"ttl", "k"}), ":20");
  EXPECT_EQ(Run({"set", "k", "v", "keepttl", "keepttl"}), "+OK");
  EXPECT_EQ(Run({"ttl", "k"}), ":20");
  EXPECT_EQ(Run({"get", "k"}), "\"v\"");
}

TEST_P(StringCommandsTest, SetInvalidExpire) {
  const std::string invalid = "-ERR invalid expire time in 'set' command";
  EXPECT_EQ(Run({"set", "k", "v", "ex", "0"}), invalid);
  EXPECT_EQ(Run({"set", "k", "v", "ex", "-1"}), invalid);
  EXPECT_EQ(Run({"set", "k", "v", "px", "0"}), invalid);
  EXPECT_EQ(Run({"set", "k", "v", "exat", "0"}), invalid);
  EXPECT_EQ(Run({"set", "k", "v", "ex", "abc"}), kNotInt);
  // EX * 1000 overflows, or the deadline (now + ttl) does.
  EXPECT_EQ(Run({"set", "k", "v", "ex", "9223372036854775807"}), invalid);
  EXPECT_EQ(Run({"set", "k", "v", "ex", "9223372036854775"}), invalid);
  EXPECT_EQ(Run({"set", "k", "v", "ex", "9223372036854774"}), invalid);
  EXPECT_EQ(Run({"set", "k", "v", "px", "9223372036854775807"}), invalid);
  EXPECT_EQ(Run({"exists", "k"}), ":0");
  // An absolute deadline does not add the clock, so it fits.
  EXPECT_EQ(Run({"set", "k", "v", "exat", "9223372036854775"}), "+OK");
  EXPECT_EQ(Run({"expiretime", "k"}), ":9223372036854775");
  EXPECT_EQ(Run({"setex", "k", "0", "v"}), "-ERR invalid expire time in 'setex' command");
  EXPECT_EQ(Run({"setex", "k", "-5", "v"}), "-ERR invalid expire time in 'setex' command");
  EXPECT_EQ(Run({"setex", "k", "9223372036854776", "v"}),
            "-ERR invalid expire time in 'setex' command");
  EXPECT_EQ(Run({"psetex", "k", "0", "v"}), "-ERR invalid expire time in 'psetex' command");
  EXPECT_EQ(Run({"setex", "k", "abc", "v"}), kNotInt);
  // The expiry is validated before the GET's type check.
  MakeNonString("l");
  EXPECT_EQ(Run({"set", "l", "v", "get", "ex", "0"}), invalid);
}

TEST_P(StringCommandsTest, SetNxXxGet) {
  EXPECT_EQ(Run({"set", "k", "v", "xx"}), "(nil)");
  EXPECT_EQ(Run({"exists", "k"}), ":0");
  EXPECT_EQ(Run({"set", "k", "v", "nx"}), "+OK");
  EXPECT_EQ(Run({"set", "k", "w", "nx"}), "(nil)");
  EXPECT_EQ(Run({"set", "k", "w", "xx"}), "+OK");
  EXPECT_EQ(Run({"get", "k"}), "\"w\"");
  // GET replies with the old value whether or not the condition lets the write happen.
  EXPECT_EQ(Run({"set", "k", "v2", "get", "nx"}), "\"w\"");
  EXPECT_EQ(Run({"get", "k"}), "\"w\"");
  EXPECT_EQ(Run({"set", "k2", "v2", "get", "nx"}), "(nil)");
  EXPECT_EQ(Run({"get", "k2"}), "\"v2\"");
  EXPECT_EQ(Run({"set", "k", "x", "xx", "get"}), "\"w\"");
  EXPECT_EQ(Run({"get", "k"}), "\"x\"");
  EXPECT_EQ(Run({"set", "k3", "x", "xx", "get"}), "(nil)");
  EXPECT_EQ(Run({"exists", "k3"}), ":0");
}

TEST_P(StringCommandsTest, SetGetOnWrongType) {
  MakeNonString("l");
  EXPECT_EQ(Run({"get", "l"}), kWrongType);
  EXPECT_EQ(Run({"set", "l", "v", "get"}), kWrongType);
  EXPECT_EQ(Run({"set", "l", "v", "nx", "get"}), kWrongType);
  EXPECT_EQ(Run({"set", "l", "v", "xx", "get"}), kWrongType);
  EXPECT_EQ(Run({"type", "l"}), "+list");
  // Without GET, SET overwrites any type.
  EXPECT_EQ(Run({"set", "l", "v"}), "+OK");
  EXPECT_EQ(Run({"type", "l"}), "+string");
}

TEST_P(StringCommandsTest, EveryStringCommandRefusesOtherTypes) {
  MakeNonString("l");
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"getex", "l", "ex", "0"},  // the type is checked before the expiry here
           {"append", "l", "x"},
           {"strlen", "l"},
           {"getrange", "l", "0", "1"},
           {"substr", "l", "0", "1"},
           {"setrange", "l", "0", "x"},
           {"incr", "l"},
           {"decr", "l"},
           {"incrby", "l", "2"},
           {"decrby", "l", "2"},
           {"incrbyfloat", "l", "1"},
           {"getdel", "l"},
           {"getset", "l", "v"}}) {
    EXPECT_EQ(Run(cmd), kWrongType) << cmd[0];
  }
  EXPECT_EQ(Run({"getex", "l", "foo"}), kSyntax);
  EXPECT_EQ(Run({"setnx", "l", "v"}), ":0");
  EXPECT_EQ(Run({"mget", "l", "nokey"}), "[(nil), (nil)]");
  EXPECT_EQ(Run({"msetnx", "l", "v", "k", "v"}), ":0");
  EXPECT_EQ(Run({"exists", "k"}), ":0");
}

TEST_P(StringCommandsTest, SetExpiryAndKeepTtl) {
  EXPECT_EQ(Run({"set", "k", "v", "ex", "100"}), "+OK");
  EXPECT_EQ(Run({"pttl", "k"}), ":100000");
  EXPECT_EQ(Run({"set", "k", "v", "px", "1500"}), "+OK");
  EXPECT_EQ(Run({"pttl", "k"}), ":1500");
  EXPECT_EQ(Run({"set", "k", "v", "pxat", std::to_string(NowMs() + 2500)}), "+OK");
  EXPECT_EQ(Run({"pttl", "k"}), ":2500");
  EXPECT_EQ(Run({"set", "k", "v", "exat", std::to_string(NowMs() / 1000 + 30)}), "+OK");
  EXPECT_EQ(Run({"expiretime", "k"}), ":" + std::to_string(NowMs() / 1000 + 30));
  EXPECT_EQ(Run({"set", "k", "w", "keepttl"}), "+OK");
  EXPECT_EQ(Run({"expiretime", "k"}), ":" + std::to_string(NowMs() / 1000 + 30));
  // A plain SET clears the TTL.
  EXPECT_EQ(Run({"set", "k", "w"}), "+OK");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
  // KEEPTTL on a missing key sets no TTL.
  EXPECT_EQ(Run({"set", "n", "w", "keepttl"}), "+OK");
  EXPECT_EQ(Run({"ttl", "n"}), ":-1");
}

TEST_P(StringCommandsTest, SetWithPastDeadlineDeletes) {
  EXPECT_EQ(Run({"set", "k", "v", "exat", "1"}), "+OK");
  EXPECT_EQ(Run({"exists", "k"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"set", "k", "w", "pxat", "1", "get"}), "\"v\"");
  EXPECT_EQ(Run({"exists", "k"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
}

TEST_P(StringCommandsTest, KeysExpireWithTheClock) {
  EXPECT_EQ(Run({"set", "k", "v", "px", "100"}), "+OK");
  AdvanceMs(100);  // alive through its deadline millisecond, as in Redis
  EXPECT_EQ(Run({"get", "k"}), "\"v\"");
  AdvanceMs(1);
  EXPECT_EQ(Run({"get", "k"}), "(nil)");
  EXPECT_EQ(Run({"setex", "s", "2", "v"}), "+OK");
  EXPECT_EQ(Run({"ttl", "s"}), ":2");
  EXPECT_EQ(Run({"psetex", "p", "1500", "v"}), "+OK");
  EXPECT_EQ(Run({"pttl", "p"}), ":1500");
  AdvanceMs(2001);
  EXPECT_EQ(Run({"mget", "s", "p"}), "[(nil), (nil)]");
  EXPECT_EQ(Run({"dbsize"}), ":0");
}

TEST_P(StringCommandsTest, SetNxAndGetSet) {
  EXPECT_EQ(Run({"setnx", "k", "v"}), ":1");
  EXPECT_EQ(Run({"setnx", "k", "w"}), ":0");
  EXPECT_EQ(Run({"get", "k"}), "\"v\"");
  EXPECT_EQ(Run({"expire", "k", "100"}), ":1");
  EXPECT_EQ(Run({"getset", "k", "w"}), "\"v\"");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");  // GETSET drops the TTL
  EXPECT_EQ(Run({"getset", "new", "x"}), "(nil)");
  EXPECT_EQ(Run({"get", "new"}), "\"x\"");
}

TEST_P(StringCommandsTest, GetDel) {
  EXPECT_EQ(Run({"getdel", "k"}), "(nil)");
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"getdel", "k"}), "\"v\"");
  EXPECT_EQ(Run({"exists", "k"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
}

TEST_P(StringCommandsTest, GetEx) {
  const std::string invalid = "-ERR invalid expire time in 'getex' command";
  EXPECT_EQ(Run({"getex", "nokey", "ex", "0"}), "(nil)");  // the key is looked up first
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"getex", "k"}), "\"v\"");
  EXPECT_EQ(Run({"getex", "k", "ex", "0"}), invalid);
  EXPECT_EQ(Run({"getex", "k", "ex", "9223372036854775"}), invalid);
  EXPECT_EQ(Run({"getex", "k", "persist", "ex", "10"}), kSyntax);
  EXPECT_EQ(Run({"getex", "k", "ex", "10", "persist"}), kSyntax);
  EXPECT_EQ(Run({"getex", "k", "ex", "10", "px", "10"}), kSyntax);
  EXPECT_EQ(Run({"getex", "k", "ex"}), kSyntax);
  EXPECT_EQ(Run({"getex", "k", "keepttl"}), kSyntax);
  EXPECT_EQ(Run({"getex", "k", "nx"}), kSyntax);
  EXPECT_EQ(Run({"getex", "k", "get"}), kSyntax);
  EXPECT_EQ(Run({"getex", "k", "persist", "persist"}), "\"v\"");
  EXPECT_EQ(Run({"getex", "k", "ex", "100"}), "\"v\"");
  EXPECT_EQ(Run({"ttl", "k"}), ":100");
  EXPECT_EQ(Run({"getex", "k", "px", "5000"}), "\"v\"");
  EXPECT_EQ(Run({"pttl", "k"}), ":5000");
  EXPECT_EQ(Run({"getex", "k", "pxat", std::to_string(NowMs() + 700)}), "\"v\"");
  EXPECT_EQ(Run({"pttl", "k"}), ":700");
  EXPECT_EQ(Run({"getex", "k", "persist"}), "\"v\"");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
  EXPECT_EQ(Run({"getex", "k", "pxat", "9223372036854775807"}), "\"v\"");
  EXPECT_EQ(Run({"pexpiretime", "k"}), ":9223372036854775807");
  // A deadline in the past deletes the key after replying with its value.
  EXPECT_EQ(Run({"getex", "k", "exat", "1"}), "\"v\"");
  EXPECT_EQ(Run({"exists", "k"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
}

TEST_P(StringCommandsTest, MGetMSetMSetNx) {
  EXPECT_EQ(Run({"mset", "a", "1", "b", "2"}), "+OK");
  EXPECT_EQ(Run({"mget", "a", "nokey", "b"}), "[\"1\", (nil), \"2\"]");
  EXPECT_EQ(RunRaw({"mget", "a", "nokey"}, 3), "*2\r\n$1\r\n1\r\n_\r\n");
  EXPECT_EQ(Run({"mset", "a"}), "-ERR wrong number of arguments for 'mset' command");
  EXPECT_EQ(Run({"mset", "a", "1", "b"}), "-ERR wrong number of arguments for 'mset' command");
  EXPECT_EQ(Run({"msetnx", "a", "1", "b"}), "-ERR wrong number of arguments for 'msetnx' command");
  EXPECT_EQ(Run({"msetnx", "a", "9", "c", "3"}), ":0");
  EXPECT_EQ(Run({"exists", "c"}), ":0");
  EXPECT_EQ(Run({"msetnx", "c", "3", "d", "4"}), ":1");
  EXPECT_EQ(Run({"mget", "c", "d"}), "[\"3\", \"4\"]");
  // MSET clears TTLs and takes the last of duplicate keys.
  EXPECT_EQ(Run({"expire", "a", "100"}), ":1");
  EXPECT_EQ(Run({"mset", "a", "x", "a", "y"}), "+OK");
  EXPECT_EQ(Run({"get", "a"}), "\"y\"");
  EXPECT_EQ(Run({"ttl", "a"}), ":-1");
  EXPECT_EQ(Run({"dbsize"}), ":4");
}

TEST_P(StringCommandsTest, AppendAndStrlen) {
  EXPECT_EQ(Run({"strlen", "s"}), ":0");
  EXPECT_EQ(Run({"append", "s", "abc"}), ":3");
  EXPECT_EQ(Run({"append", "s", "de"}), ":5");
  EXPECT_EQ(Run({"get", "s"}), "\"abcde\"");
  EXPECT_EQ(Run({"strlen", "s"}), ":5");
  EXPECT_EQ(Run({"set", "i", "10"}), "+OK");
  EXPECT_EQ(Run({"append", "i", "5"}), ":3");
  EXPECT_EQ(Run({"incr", "i"}), ":106");
  // APPEND keeps the TTL.
  EXPECT_EQ(Run({"expire", "s", "50"}), ":1");
  EXPECT_EQ(Run({"append", "s", "f"}), ":6");
  EXPECT_EQ(Run({"ttl", "s"}), ":50");
}

TEST_P(StringCommandsTest, AppendRespectsMaxBulkLen) {
  f_.config().values().proto_max_bulk_len = 8;
  EXPECT_EQ(Run({"set", "s", "12345"}), "+OK");
  EXPECT_EQ(Run({"append", "s", "678"}), ":8");
  EXPECT_EQ(Run({"append", "s", "9"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
}

TEST_P(StringCommandsTest, GetRange) {
  EXPECT_EQ(Run({"set", "s", "Hello World"}), "+OK");
  EXPECT_EQ(Run({"getrange", "s", "0", "-1"}), "\"Hello World\"");
  EXPECT_EQ(Run({"getrange", "s", "-3", "-1"}), "\"rld\"");
  EXPECT_EQ(Run({"getrange", "s", "5", "2"}), "\"\"");
  EXPECT_EQ(Run({"getrange", "s", "100", "200"}), "\"\"");
  EXPECT_EQ(Run({"getrange", "s", "-100", "-50"}), "\"H\"");  // Redis 7.0 clamps both to 0
  EXPECT_EQ(Run({"getrange", "s", "-100", "2"}), "\"Hel\"");
  EXPECT_EQ(Run({"getrange", "s", "0", "100"}), "\"Hello World\"");
  EXPECT_EQ(Run({"getrange", "s", "-1", "-100"}), "\"\"");
  EXPECT_EQ(Run({"getrange", "s", "0", "-100"}), "\"H\"");
  EXPECT_EQ(Run({"getrange", "s", "11", "11"}), "\"\"");
  EXPECT_EQ(Run({"getrange", "s", "10", "11"}), "\"d\"");
  EXPECT_EQ(Run({"substr", "s", "0", "2"}), "\"Hel\"");
  EXPECT_EQ(Run({"getrange", "none", "0", "1"}), "\"\"");
  EXPECT_EQ(Run({"getrange", "none", "a", "1"}), kNotInt);
  EXPECT_EQ(Run({"set", "e", ""}), "+OK");
  EXPECT_EQ(Run({"getrange", "e", "0", "-1"}), "\"\"");
}

TEST_P(StringCommandsTest, SetRange) {
  EXPECT_EQ(Run({"setrange", "s", "5", "x"}), ":6");
  EXPECT_EQ(f_.Call({"get", "s"}).str, std::string("\0\0\0\0\0x", 6));
  EXPECT_EQ(Run({"setrange", "e", "0", ""}), ":0");
  EXPECT_EQ(Run({"setrange", "e", "10", ""}), ":0");
  EXPECT_EQ(Run({"exists", "e"}), ":0");
  EXPECT_EQ(Run({"setrange", "s", "-1", "x"}), "-ERR offset is out of range");
  EXPECT_EQ(Run({"setrange", "s", "abc", "x"}), kNotInt);
  EXPECT_EQ(Run({"setrange", "s", "536870912", "x"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  EXPECT_EQ(Run({"setrange", "s", "9223372036854775807", "x"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  // An empty patch is never too long and never grows the string.
  EXPECT_EQ(Run({"setrange", "s", "536870912", ""}), ":6");
  EXPECT_EQ(Run({"set", "h", "hello"}), "+OK");
  EXPECT_EQ(Run({"setrange", "h", "1", ""}), ":5");
  EXPECT_EQ(Run({"setrange", "h", "10", ""}), ":5");
  EXPECT_EQ(Run({"setrange", "h", "1", "EY"}), ":5");
  EXPECT_EQ(Run({"get", "h"}), "\"hEYlo\"");
  EXPECT_EQ(Run({"setrange", "h", "4", "OOO"}), ":7");
  EXPECT_EQ(Run({"get", "h"}), "\"hEYlOOO\"");
  EXPECT_EQ(Run({"expire", "h", "10"}), ":1");
  EXPECT_EQ(Run({"setrange", "h", "0", "H"}), ":7");
  EXPECT_EQ(Run({"ttl", "h"}), ":10");
}

TEST_P(StringCommandsTest, SetRangeAtTheLimit) {
  f_.config().values().proto_max_bulk_len = 16;
  EXPECT_EQ(Run({"setrange", "s", "15", "x"}), ":16");
  EXPECT_EQ(Run({"setrange", "s", "16", "x"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  EXPECT_EQ(Run({"setrange", "t", "14", "xyz"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)");
}

TEST_P(StringCommandsTest, IncrDecr) {
  EXPECT_EQ(Run({"incr", "n"}), ":1");
  EXPECT_EQ(Run({"incrby", "n", "10"}), ":11");
  EXPECT_EQ(Run({"decr", "n"}), ":10");
  EXPECT_EQ(Run({"decrby", "n", "20"}), ":-10");
  EXPECT_EQ(Run({"get", "n"}), "\"-10\"");
  EXPECT_EQ(Run({"incrby", "n", "abc"}), kNotInt);
  EXPECT_EQ(Run({"incrby", "n", "9223372036854775808"}), kNotInt);
  EXPECT_EQ(Run({"decrby", "x", "abc"}), kNotInt);
  // Integers as Redis parses them: no spaces, no leading zeros, no '+'.
  for (const char* bad : {" 1", "01", "abc", "+1", "1.5", "", "-0"}) {
    EXPECT_EQ(Run({"set", "b", bad}), "+OK");
    EXPECT_EQ(Run({"incr", "b"}), kNotInt) << bad;
  }
  EXPECT_EQ(Run({"expire", "n", "100"}), ":1");
  EXPECT_EQ(Run({"incr", "n"}), ":-9");
  EXPECT_EQ(Run({"ttl", "n"}), ":100");  // INCR keeps the TTL
}

TEST_P(StringCommandsTest, IncrOverflow) {
  const std::string overflow = "-ERR increment or decrement would overflow";
  EXPECT_EQ(Run({"set", "n", "9223372036854775807"}), "+OK");
  EXPECT_EQ(Run({"incr", "n"}), overflow);
  EXPECT_EQ(Run({"incrby", "n", "-9223372036854775808"}), ":-1");
  EXPECT_EQ(Run({"set", "n", "-9223372036854775808"}), "+OK");
  EXPECT_EQ(Run({"decr", "n"}), overflow);
  EXPECT_EQ(Run({"incrby", "n", "-1"}), overflow);
  EXPECT_EQ(Run({"get", "n"}), "\"-9223372036854775808\"");
  EXPECT_EQ(Run({"decrby", "n", "-9223372036854775808"}), "-ERR decrement would overflow");
  EXPECT_EQ(Run({"set", "n", "5"}), "+OK");
  EXPECT_EQ(Run({"decrby", "n", "-9223372036854775808"}), "-ERR decrement would overflow");
  EXPECT_EQ(Run({"decrby", "n", "-9223372036854775807"}), overflow);
}

TEST_P(StringCommandsTest, IncrByFloat) {
  EXPECT_EQ(Run({"set", "n", "1.5"}), "+OK");
  EXPECT_EQ(Run({"incrbyfloat", "n", "1.1"}), "\"2.6\"");
  EXPECT_EQ(Run({"get", "n"}), "\"2.6\"");
  EXPECT_EQ(Run({"incrbyfloat", "z", "3.0e3"}), "\"3000\"");
  EXPECT_EQ(Run({"incrbyfloat", "z2", "10.5"}), "\"10.5\"");
  EXPECT_EQ(Run({"incrbyfloat", "z4", "5.0e-5"}), "\"0.00005\"");
  EXPECT_EQ(Run({"incrbyfloat", "z5", "0x10"}), "\"16\"");
  EXPECT_EQ(Run({"incrbyfloat", "z6", "-0"}), "\"0\"");
  EXPECT_EQ(Run({"incrbyfloat", "z7", "1.23456789012345678901"}), "\"1.23456789012345679\"");
  EXPECT_EQ(Run({"incrbyfloat", "n", "abc"}), kNotFloat);
  EXPECT_EQ(Run({"incrbyfloat", "z3", "1.0 "}), kNotFloat);
  EXPECT_EQ(Run({"incrbyfloat", "z3", "inf"}), "-ERR increment would produce NaN or Infinity");
  EXPECT_EQ(Run({"exists", "z3"}), ":0");
  EXPECT_EQ(Run({"set", "s", "abc"}), "+OK");
  EXPECT_EQ(Run({"incrbyfloat", "s", "1"}), kNotFloat);
  EXPECT_EQ(Run({"set", "i", "inf"}), "+OK");
  EXPECT_EQ(Run({"incrbyfloat", "i", "1"}), "-ERR increment would produce NaN or Infinity");
  EXPECT_EQ(Run({"set", "big", "1e308"}), "+OK");
  std::string big = f_.Call({"incrbyfloat", "big", "1e308"}).str;
  EXPECT_EQ(big.substr(0, 22), "1999999999999999999933");
  EXPECT_EQ(big.size(), 309u);
  EXPECT_EQ(Run({"expire", "n", "100"}), ":1");
  EXPECT_EQ(Run({"incrbyfloat", "n", "0.4"}), "\"3\"");
  EXPECT_EQ(Run({"ttl", "n"}), ":100");  // keeps the TTL
}

TEST_P(StringCommandsTest, CommandTableEntries) {
  // COMMAND INFO's view of a few entries, as Redis 7.0 reports them.
  const CommandTable& t = CommandTable::Get();
  const CommandSpec* set = t.Find("SET");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->arity, -3);
  EXPECT_EQ(CommandTable::FlagNames(set->flags),
            (std::vector<std::string_view>{"write", "denyoom"}));
  EXPECT_EQ(CommandTable::AclNames(set->acl),
            (std::vector<std::string_view>{"@write", "@string", "@slow"}));
  const CommandSpec* mset = t.Find("mset");
  ASSERT_NE(mset, nullptr);
  EXPECT_EQ(mset->keys.first, 1);
  EXPECT_EQ(mset->keys.last, -1);
  EXPECT_EQ(mset->keys.step, 2);
  const CommandSpec* getrange = t.Find("getrange");
  ASSERT_NE(getrange, nullptr);
  EXPECT_EQ(CommandTable::FlagNames(getrange->flags), (std::vector<std::string_view>{"readonly"}));
}

STRATA_INSTANTIATE_PROFILES(StringCommandsTest);

}  // namespace
}  // namespace strata::commands::testing
