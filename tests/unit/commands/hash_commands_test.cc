// Hash commands, with replies checked against Redis 7.0's, in both profiles.
#include <set>
#include <string>
#include <vector>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

constexpr char kWrongType[] = "-WRONGTYPE Operation against a key holding the wrong kind of value";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range";
constexpr char kNotFloat[] = "-ERR value is not a valid float";
constexpr char kSyntax[] = "-ERR syntax error";

class HashCommandsTest : public ProfileTest {
 protected:
  // Adds fields f<from> .. f<to-1> with values v<i>, 100 per HSET.
  void Fill(const std::string& key, int from, int to) {
    for (int start = from; start < to; start += 100) {
      std::vector<std::string> args = {"hset", key};
      for (int i = start; i < std::min(to, start + 100); ++i) {
        args.push_back("f" + std::to_string(i));
        args.push_back("v" + std::to_string(i));
      }
      ASSERT_EQ(Run(args), ":" + std::to_string(std::min(to, start + 100) - start));
    }
  }
  bool HeldWhole(const std::string& key) {
    auto e = f_.ks().Peek(0, key);
    return e.ok() && *e != nullptr && (*e)->object != nullptr;
  }
};

TEST_P(HashCommandsTest, SetGetAndFriends) {
  EXPECT_EQ(Run({"hset", "h", "a", "1", "b", "2"}), ":2");
  EXPECT_EQ(Run({"hset", "h", "a", "10", "c", "3"}), ":1");
  EXPECT_EQ(Run({"hset", "h", "d", "x", "d", "y"}), ":1");  // the later pair wins
  EXPECT_EQ(Run({"hget", "h", "a"}), "\"10\"");
  EXPECT_EQ(Run({"hget", "h", "d"}), "\"y\"");
  EXPECT_EQ(Run({"hget", "h", "zz"}), "(nil)");
  EXPECT_EQ(Run({"hget", "nokey", "a"}), "(nil)");
  EXPECT_EQ(RunRaw({"hget", "h", "zz"}, 3), "_\r\n");
  EXPECT_EQ(Run({"hmget", "h", "a", "zz", "b"}), "[\"10\", (nil), \"2\"]");
  EXPECT_EQ(Run({"hmget", "nokey", "a", "b"}), "[(nil), (nil)]");
  EXPECT_EQ(Run({"hlen", "h"}), ":4");
  EXPECT_EQ(Run({"hlen", "nokey"}), ":0");
  EXPECT_EQ(Run({"hexists", "h", "c"}), ":1");
  EXPECT_EQ(Run({"hexists", "h", "zz"}), ":0");
  EXPECT_EQ(Run({"hexists", "nokey", "c"}), ":0");
  EXPECT_EQ(Run({"hstrlen", "h", "a"}), ":2");
  EXPECT_EQ(Run({"hstrlen", "h", "zz"}), ":0");
  EXPECT_EQ(Run({"hstrlen", "nokey", "a"}), ":0");
  EXPECT_EQ(Run({"hsetnx", "h", "a", "new"}), ":0");
  EXPECT_EQ(Run({"hsetnx", "h", "e", "5"}), ":1");
  EXPECT_EQ(Run({"hsetnx", "fresh", "f", "v"}), ":1");
  EXPECT_EQ(Run({"hget", "h", "a"}), "\"10\"");
  EXPECT_EQ(Run({"hmset", "h", "a", "11", "g", "7"}), "+OK");
  EXPECT_EQ(Run({"hlen", "h"}), ":6");
  EXPECT_EQ(Run({"type", "h"}), "+hash");
  EXPECT_EQ(Run({"hset", "bin", std::string("f\0x", 3), std::string("v\0y", 3)}), ":1");
  EXPECT_EQ(f_.Call({"hget", "bin", std::string("f\0x", 3)}).str, std::string("v\0y", 3));
}

TEST_P(HashCommandsTest, HashesKeepInsertionOrderWhileSmall) {
  EXPECT_EQ(Run({"hset", "h", "z", "1", "a", "2", "m", "3"}), ":3");
  EXPECT_EQ(Run({"hdel", "h", "a"}), ":1");
  EXPECT_EQ(Run({"hset", "h", "b", "4", "z", "5"}), ":1");
  EXPECT_EQ(Run({"hgetall", "h"}), "[\"z\", \"5\", \"m\", \"3\", \"b\", \"4\"]");
  EXPECT_EQ(Run({"hkeys", "h"}), "[\"z\", \"m\", \"b\"]");
  EXPECT_EQ(Run({"hvals", "h"}), "[\"5\", \"3\", \"4\"]");
}

TEST_P(HashCommandsTest, GetAllShapes) {
  EXPECT_EQ(RunRaw({"hgetall", "nokey"}, 2), "*0\r\n");
  EXPECT_EQ(RunRaw({"hgetall", "nokey"}, 3), "%0\r\n");
  EXPECT_EQ(RunRaw({"hkeys", "nokey"}, 3), "*0\r\n");
  EXPECT_EQ(RunRaw({"hvals", "nokey"}, 3), "*0\r\n");
  EXPECT_EQ(Run({"hset", "h", "f", "v"}), ":1");
  EXPECT_EQ(RunRaw({"hgetall", "h"}, 2), "*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"hgetall", "h"}, 3), "%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"hkeys", "h"}, 3), "*1\r\n$1\r\nf\r\n");
  EXPECT_EQ(RunRaw({"hvals", "h"}, 3), "*1\r\n$1\r\nv\r\n");
}

TEST_P(HashCommandsTest, DeleteRemovesEmptyHashAndKeepsTtl) {
  EXPECT_EQ(Run({"hset", "h", "a", "1", "b", "2", "c", "3"}), ":3");
  EXPECT_EQ(Run({"expire", "h", "100"}), ":1");
  EXPECT_EQ(Run({"hdel", "h", "a", "a", "zz"}), ":1");
  EXPECT_EQ(Run({"hset", "h", "d", "4"}), ":1");
  EXPECT_EQ(Run({"hincrby", "h", "n", "1"}), ":1");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "x", "1"}), "\"1\"");
  EXPECT_EQ(Run({"hsetnx", "h", "y", "1"}), ":1");
  EXPECT_EQ(Run({"ttl", "h"}), ":100");
  EXPECT_EQ(Run({"hdel", "h", "b", "c", "d", "n", "x", "y"}), ":6");
  EXPECT_EQ(Run({"exists", "h"}), ":0");
  EXPECT_EQ(Run({"hdel", "h", "a"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
  // An expired hash is gone for every command.
  EXPECT_EQ(Run({"hset", "t", "a", "1"}), ":1");
  EXPECT_EQ(Run({"pexpire", "t", "50"}), ":1");
  AdvanceMs(51);
  EXPECT_EQ(Run({"hget", "t", "a"}), "(nil)");
  EXPECT_EQ(Run({"hset", "t", "b", "2"}), ":1");
  EXPECT_EQ(Run({"hlen", "t"}), ":1");
  EXPECT_EQ(Run({"ttl", "t"}), ":-1");
}

TEST_P(HashCommandsTest, ArityAndWrongType) {
  EXPECT_EQ(Run({"hset", "h", "a"}), "-ERR wrong number of arguments for 'hset' command");
  EXPECT_EQ(Run({"hset", "h", "a", "b", "c"}), "-ERR wrong number of arguments for 'hset' command");
  EXPECT_EQ(Run({"hmset", "h", "a", "b", "c"}),
            "-ERR wrong number of arguments for 'hmset' command");
  EXPECT_EQ(Run({"hget", "h"}), "-ERR wrong number of arguments for 'hget' command");
  EXPECT_EQ(Run({"hsetnx", "h", "a"}), "-ERR wrong number of arguments for 'hsetnx' command");
  EXPECT_EQ(Run({"hdel", "h"}), "-ERR wrong number of arguments for 'hdel' command");
  EXPECT_EQ(Run({"hrandfield"}), "-ERR wrong number of arguments for 'hrandfield' command");
  EXPECT_EQ(Run({"hscan", "h"}), "-ERR wrong number of arguments for 'hscan' command");
  EXPECT_EQ(Run({"exists", "h"}), ":0");

  EXPECT_EQ(Run({"set", "s", "x"}), "+OK");
  // The arity of pairs is checked before the type.
  EXPECT_EQ(Run({"hset", "s", "a", "b", "c"}), "-ERR wrong number of arguments for 'hset' command");
  for (std::vector<std::string> cmd :
       std::vector<std::vector<std::string>>{{"hset", "s", "a", "b"},
                                             {"hsetnx", "s", "a", "b"},
                                             {"hmset", "s", "a", "b"},
                                             {"hget", "s", "a"},
                                             {"hmget", "s", "a"},
                                             {"hgetall", "s"},
                                             {"hkeys", "s"},
                                             {"hvals", "s"},
                                             {"hdel", "s", "a"},
                                             {"hlen", "s"},
                                             {"hexists", "s", "a"},
                                             {"hstrlen", "s", "a"},
                                             {"hincrby", "s", "a", "1"},
                                             {"hincrbyfloat", "s", "a", "1"},
                                             {"hrandfield", "s"},
                                             {"hrandfield", "s", "2"},
                                             {"hscan", "s", "0"},
                                             {"hscan", "s", "0", "bogus"}}) {
    EXPECT_EQ(Run(cmd), kWrongType) << cmd[0];
  }
  EXPECT_EQ(Run({"get", "s"}), "\"x\"");
}

TEST_P(HashCommandsTest, IncrBy) {
  EXPECT_EQ(Run({"hincrby", "h", "n", "5"}), ":5");
  EXPECT_EQ(Run({"hincrby", "h", "n", "-10"}), ":-5");
  EXPECT_EQ(Run({"hget", "h", "n"}), "\"-5\"");
  EXPECT_EQ(Run({"hincrby", "h", "n", "x"}), kNotInt);
  EXPECT_EQ(Run({"hincrby", "h", "n", "1.5"}), kNotInt);
  EXPECT_EQ(Run({"hincrby", "h", "n", "99999999999999999999"}), kNotInt);
  EXPECT_EQ(Run({"set", "s", "x"}), "+OK");
  EXPECT_EQ(Run({"hincrby", "s", "n", "x"}), kNotInt);  // the increment is checked first
  EXPECT_EQ(Run({"hset", "h", "str", "abc", "sp", " 1", "max", "9223372036854775807"}), ":3");
  EXPECT_EQ(Run({"hincrby", "h", "str", "1"}), "-ERR hash value is not an integer");
  EXPECT_EQ(Run({"hincrby", "h", "sp", "1"}), "-ERR hash value is not an integer");
  EXPECT_EQ(Run({"hincrby", "h", "max", "1"}), "-ERR increment or decrement would overflow");
  EXPECT_EQ(Run({"hincrby", "h", "max", "-1"}), ":9223372036854775806");
  EXPECT_EQ(Run({"hset", "h", "min", "-9223372036854775808"}), ":1");
  EXPECT_EQ(Run({"hincrby", "h", "min", "-1"}), "-ERR increment or decrement would overflow");
}

TEST_P(HashCommandsTest, IncrByFloat) {
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "10.5"}), "\"10.5\"");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "0.1"}), "\"10.6\"");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "-5.0e3"}), "\"-4989.39999999999999991\"");
  EXPECT_EQ(Run({"hset", "h", "i", "3"}), ":1");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "i", "1.25"}), "\"4.25\"");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "abc"}), kNotFloat);
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "nan"}), kNotFloat);
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "inf"}), "-ERR value is NaN or Infinity");
  EXPECT_EQ(Run({"set", "s", "x"}), "+OK");
  EXPECT_EQ(Run({"hincrbyfloat", "s", "f", "inf"}), "-ERR value is NaN or Infinity");
  EXPECT_EQ(Run({"hset", "h", "str", "abc", "inf", "inf", "big", "1e4932"}), ":3");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "str", "1"}), "-ERR hash value is not a float");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "inf", "1"}), "-ERR increment would produce NaN or Infinity");
  EXPECT_EQ(Run({"hincrbyfloat", "h", "big", "1e4932"}),
            "-ERR increment would produce NaN or Infinity");
  EXPECT_EQ(Run({"hget", "h", "inf"}), "\"inf\"");
}

TEST_P(HashCommandsTest, RandFieldShapes) {
  EXPECT_EQ(Run({"hrandfield", "nokey"}), "(nil)");
  EXPECT_EQ(RunRaw({"hrandfield", "nokey"}, 3), "_\r\n");
  EXPECT_EQ(Run({"hrandfield", "nokey", "3"}), "[]");
  EXPECT_EQ(Run({"hrandfield", "nokey", "-3", "withvalues"}), "[]");
  EXPECT_EQ(Run({"hset", "h", "a", "1"}), ":1");
  EXPECT_EQ(Run({"hrandfield", "h"}), "\"a\"");
  EXPECT_EQ(Run({"hrandfield", "h", "0"}), "[]");
  EXPECT_EQ(Run({"hrandfield", "h", "0", "withvalues"}), "[]");
  EXPECT_EQ(Run({"hrandfield", "h", "5"}), "[\"a\"]");
  EXPECT_EQ(Run({"hrandfield", "h", "-3"}), "[\"a\", \"a\", \"a\"]");
  EXPECT_EQ(Run({"hrandfield", "h", "2", "WITHVALUES"}), "[\"a\", \"1\"]");
  EXPECT_EQ(Run({"hrandfield", "h", "-2", "withvalues"}), "[\"a\", \"1\", \"a\", \"1\"]");
  EXPECT_EQ(Run3({"hrandfield", "h", "1", "withvalues"}), "[[\"a\", \"1\"]]");
  EXPECT_EQ(Run3({"hrandfield", "h", "-2", "withvalues"}), "[[\"a\", \"1\"], [\"a\", \"1\"]]");
  EXPECT_EQ(Run3({"hrandfield", "h", "-2"}), "[\"a\", \"a\"]");
}

TEST_P(HashCommandsTest, RandFieldCountsAndErrors) {
  Fill("h", 0, 10);
  auto distinct = f_.Call({"hrandfield", "h", "4"});
  ASSERT_EQ(distinct.elements.size(), 4u);
  std::set<std::string> seen;
  for (const auto& e : distinct.elements) seen.insert(e.str);
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(f_.Call({"hrandfield", "h", "100"}).elements.size(), 10u);
  EXPECT_EQ(f_.Call({"hrandfield", "h", "100", "withvalues"}).elements.size(), 20u);
  EXPECT_EQ(f_.Call({"hrandfield", "h", "-25"}).elements.size(), 25u);
  auto pairs = f_.Call({"hrandfield", "h", "-6", "withvalues"}, 3);
  ASSERT_EQ(pairs.elements.size(), 6u);
  for (const auto& p : pairs.elements) {
    ASSERT_EQ(p.elements.size(), 2u);
    EXPECT_EQ("v" + p.elements[0].str.substr(1), p.elements[1].str);
  }
  EXPECT_EQ(Run({"hrandfield", "h", "x"}), kNotInt);
  EXPECT_EQ(Run({"hrandfield", "h", "1", "x"}), kSyntax);
  EXPECT_EQ(Run({"hrandfield", "h", "1", "withvalues", "x"}), kSyntax);
  EXPECT_EQ(Run({"hrandfield", "h", "x", "withvalues"}), kNotInt);
  EXPECT_EQ(Run({"hrandfield", "h", "-9223372036854775808"}),
            "-ERR value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807");
  EXPECT_EQ(Run({"hrandfield", "h", "-9223372036854775807", "withvalues"}),
            "-ERR value is out of range");
  EXPECT_EQ(Run({"hrandfield", "h", "4611686018427387904", "withvalues"}),
            "-ERR value is out of range");
  EXPECT_EQ(Run({"hrandfield", "nokey", "-4611686018427387904", "withvalues"}),
            "-ERR value is out of range");
  EXPECT_EQ(Run({"hrandfield", "nokey", "-4611686018427387903", "withvalues"}), "[]");
}

TEST_P(HashCommandsTest, ScanSmallHash) {
  EXPECT_EQ(Run({"hscan", "nokey", "0"}), "[\"0\", []]");
  EXPECT_EQ(Run({"hscan", "nokey", "0", "bogus"}), "[\"0\", []]");  // options unread
  EXPECT_EQ(Run({"hscan", "nokey", "x"}), "-ERR invalid cursor");
  EXPECT_EQ(Run({"hset", "h", "a1", "1", "b1", "2", "a2", "3"}), ":3");
  EXPECT_EQ(Run({"hscan", "h", "0"}), "[\"0\", [\"a1\", \"1\", \"b1\", \"2\", \"a2\", \"3\"]]");
  EXPECT_EQ(Run({"hscan", "h", "0", "match", "a*"}), "[\"0\", [\"a1\", \"1\", \"a2\", \"3\"]]");
  EXPECT_EQ(Run({"hscan", "h", "0", "MATCH", "b?", "COUNT", "1"}), "[\"0\", [\"b1\", \"2\"]]");
  EXPECT_EQ(Run({"hscan", "h", "0", "match", "zz"}), "[\"0\", []]");
  EXPECT_EQ(Run({"hscan", "h", "0", "count", "0"}), kSyntax);
  EXPECT_EQ(Run({"hscan", "h", "0", "count", "x"}), kNotInt);
  EXPECT_EQ(Run({"hscan", "h", "0", "type", "string"}), kSyntax);
  EXPECT_EQ(Run({"hscan", "h", "0", "match"}), kSyntax);
  EXPECT_EQ(Run({"hscan", "h", "-1"}).substr(0, 6), "[\"0\", ");
  EXPECT_EQ(Run({"hscan", "h", "18446744073709551615"}).substr(0, 6), "[\"0\", ");
  EXPECT_EQ(Run({"hscan", "h", "18446744073709551616"}), "-ERR invalid cursor");
  EXPECT_EQ(Run({"hscan", "h", " 1"}), "-ERR invalid cursor");
  EXPECT_EQ(Run({"hscan", "h", "1 "}), "-ERR invalid cursor");
  EXPECT_EQ(Run({"hscan", "h", "1x"}), "-ERR invalid cursor");
}

// 1500 fields: past 2 * kHotCollectionLimit, so the session profile drops the memory copy and
// every command goes through the sub-keys; the cache profile holds it whole.
TEST_P(HashCommandsTest, BigHash) {
  Fill("big", 0, 1500);
  EXPECT_EQ(Run({"expire", "big", "1000"}), ":1");
  EXPECT_EQ(HeldWhole("big"), f_.profile() == config::Profile::kCache);
  EXPECT_EQ(Run({"hlen", "big"}), ":1500");
  EXPECT_EQ(Run({"hget", "big", "f1234"}), "\"v1234\"");
  EXPECT_EQ(Run({"hmget", "big", "f0", "nope", "f1499"}), "[\"v0\", (nil), \"v1499\"]");
  EXPECT_EQ(Run({"hset", "big", "f7", "new", "extra", "x"}), ":1");
  EXPECT_EQ(Run({"hsetnx", "big", "f8", "no"}), ":0");
  EXPECT_EQ(Run({"hdel", "big", "f9", "f10", "nope"}), ":2");
  EXPECT_EQ(Run({"hincrby", "big", "counter", "41"}), ":41");
  EXPECT_EQ(Run({"hincrby", "big", "counter", "1"}), ":42");
  EXPECT_EQ(Run({"hincrbyfloat", "big", "fl", "0.5"}), "\"0.5\"");
  EXPECT_EQ(Run({"hexists", "big", "f9"}), ":0");
  EXPECT_EQ(Run({"hstrlen", "big", "f7"}), ":3");
  EXPECT_EQ(Run({"hlen", "big"}), ":1501");
  EXPECT_EQ(f_.Call({"hkeys", "big"}).elements.size(), 1501u);
  EXPECT_EQ(f_.Call({"hgetall", "big"}, 3).elements.size(), 3002u);
  EXPECT_EQ(f_.Call({"hrandfield", "big", "30"}).elements.size(), 30u);
  EXPECT_EQ(f_.Call({"hrandfield", "big", "-30", "withvalues"}).elements.size(), 60u);
  EXPECT_EQ(f_.Call({"hrandfield", "big", "5000"}).elements.size(), 1501u);

  // A full HSCAN returns every field once, in pages.
  std::set<std::string> fields;
  std::string cursor = "0";
  int pages = 0;
  do {
    auto reply = f_.Call({"hscan", "big", cursor, "count", "50", "match", "f*"});
    ASSERT_EQ(reply.elements.size(), 2u);
    cursor = reply.elements[0].str;
    for (size_t i = 0; i < reply.elements[1].elements.size(); i += 2) {
      EXPECT_TRUE(fields.insert(reply.elements[1].elements[i].str).second);
    }
    ++pages;
  } while (cursor != "0" && pages < 10000);
  EXPECT_EQ(fields.size(), 1499u);  // f0..f1499 without f9, f10; and "fl"
  EXPECT_GT(pages, 10);

  if (f_.profile() == config::Profile::kSession) {
    f_.Reopen();
    EXPECT_EQ(Run({"hlen", "big"}), ":1501");
    EXPECT_EQ(Run({"hget", "big", "f7"}), "\"new\"");
    EXPECT_EQ(Run({"hget", "big", "f9"}), "(nil)");
    EXPECT_EQ(Run({"hget", "big", "counter"}), "\"42\"");
    EXPECT_EQ(Run({"ttl", "big"}), ":1000");
    EXPECT_EQ(f_.Call({"hvals", "big"}).elements.size(), 1501u);
    EXPECT_FALSE(HeldWhole("big"));
  }
  // Shrinking it field by field down to nothing deletes the key.
  std::vector<std::string> del = {"hdel", "big", "extra", "counter", "fl"};
  for (int i = 0; i < 1500; ++i) del.push_back("f" + std::to_string(i));
  EXPECT_EQ(Run(del), ":1501");
  EXPECT_EQ(Run({"exists", "big"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
}

TEST_P(HashCommandsTest, SmallHashSurvivesReopenAndCopy) {
  EXPECT_EQ(Run({"hset", "h", "a", "1", "b", "2"}), ":2");
  EXPECT_EQ(Run({"copy", "h", "h2"}), ":1");
  EXPECT_EQ(Run({"hset", "h2", "c", "3"}), ":1");
  EXPECT_EQ(Run({"hlen", "h"}), ":2");
  EXPECT_EQ(Run({"rename", "h2", "h3"}), "+OK");
  if (f_.profile() == config::Profile::kSession) f_.Reopen();
  EXPECT_EQ(Run({"hmget", "h", "a", "b", "c"}), "[\"1\", \"2\", (nil)]");
  EXPECT_EQ(Run({"hmget", "h3", "a", "b", "c"}), "[\"1\", \"2\", \"3\"]");
  EXPECT_EQ(Run({"hlen", "h3"}), ":3");
}

STRATA_INSTANTIATE_PROFILES(HashCommandsTest);

}  // namespace
}  // namespace strata::commands::testing
