// Set commands, with replies checked against Redis 7.0's (redis-server 7.0.15), in both
// profiles. Members are compared as sorted lists where Redis's order is unspecified; integer
// sets are compared in order, since Redis lists its intsets in numeric order.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

constexpr char kWrongType[] = "-WRONGTYPE Operation against a key holding the wrong kind of value";
constexpr char kSyntax[] = "-ERR syntax error";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range";

class SetCommandsTest : public ProfileTest {
 protected:
  // The members of an array or set reply, sorted.
  std::vector<std::string> Sorted(const std::vector<std::string>& args, int protocol = 2) {
    protocol::ReplyValue r = f_.Call(args, protocol);
    std::vector<std::string> out;
    for (const auto& e : r.elements) out.push_back(e.str);
    std::sort(out.begin(), out.end());
    return out;
  }
  using Members = std::vector<std::string>;
};

TEST_P(SetCommandsTest, AddRemoveMembershipAndCard) {
  EXPECT_EQ(Run({"sadd", "s", "a", "b", "a", "c"}), ":3");
  EXPECT_EQ(Run({"sadd", "s", "a", "d"}), ":1");
  EXPECT_EQ(Run({"scard", "s"}), ":4");
  EXPECT_EQ(Run({"scard", "nokey"}), ":0");
  EXPECT_EQ(Run({"sismember", "s", "a"}), ":1");
  EXPECT_EQ(Run({"sismember", "s", "z"}), ":0");
  EXPECT_EQ(Run({"sismember", "nokey", "a"}), ":0");
  EXPECT_EQ(Run({"smismember", "s", "a", "z", "d"}), "[:1, :0, :1]");
  EXPECT_EQ(Run({"smismember", "nokey", "a", "b"}), "[:0, :0]");
  EXPECT_EQ(Run({"srem", "s", "a", "z", "a"}), ":1");
  EXPECT_EQ(Run({"srem", "nokey", "a"}), ":0");
  EXPECT_EQ(Sorted({"smembers", "s"}), (Members{"b", "c", "d"}));
  EXPECT_EQ(Run({"srem", "s", "b", "c", "d"}), ":3");
  EXPECT_EQ(Run({"exists", "s"}), ":0");
  EXPECT_EQ(Run({"smembers", "s"}), "[]");
  EXPECT_EQ(Run3({"smembers", "s"}), "~[]");
}

TEST_P(SetCommandsTest, ArityAndWrongType) {
  EXPECT_EQ(Run({"sadd", "s"}), "-ERR wrong number of arguments for 'sadd' command");
  EXPECT_EQ(Run({"srem", "s"}), "-ERR wrong number of arguments for 'srem' command");
  EXPECT_EQ(Run({"sismember", "s", "a", "b"}),
            "-ERR wrong number of arguments for 'sismember' command");
  EXPECT_EQ(Run({"smismember", "s"}), "-ERR wrong number of arguments for 'smismember' command");
  EXPECT_EQ(Run({"set", "str", "v"}), "+OK");
  const std::vector<std::vector<std::string>> commands = {
      {"sadd", "str", "a"},
      {"srem", "str", "a"},
      {"sismember", "str", "a"},
      {"smismember", "str", "a"},
      {"smembers", "str"},
      {"scard", "str"},
      {"spop", "str"},
      {"spop", "str", "2"},
      {"srandmember", "str"},
      {"srandmember", "str", "-2"},
      {"sinter", "nokey", "str"},
      {"sunion", "nokey", "str"},
      {"sdiff", "nokey", "str"},
      {"sdiff", "str", "nokey"},
      {"sintercard", "2", "nokey", "str"},
      {"sinterstore", "d", "str"},
      {"sunionstore", "d", "str"},
      {"sdiffstore", "d", "nokey", "str"},
      {"sscan", "str", "0"},
      {"smove", "str", "x", "a"},
  };
  for (const auto& cmd : commands) {
    EXPECT_EQ(Run(cmd), kWrongType) << cmd[0];
  }
  EXPECT_EQ(Run({"get", "str"}), "\"v\"");
}

TEST_P(SetCommandsTest, IntegerSetsListInNumericOrder) {
  EXPECT_EQ(Run({"sadd", "i", "30", "-2", "7", "100"}), ":4");
  EXPECT_EQ(Run({"smembers", "i"}), "[\"-2\", \"7\", \"30\", \"100\"]");
  EXPECT_EQ(Run3({"smembers", "i"}), "~[\"-2\", \"7\", \"30\", \"100\"]");
  EXPECT_EQ(Run({"sadd", "j", "7", "5", "100"}), ":3");
  EXPECT_EQ(Run({"sunion", "i", "j"}), "[\"-2\", \"5\", \"7\", \"30\", \"100\"]");
  EXPECT_EQ(Run({"sinter", "i", "j"}), "[\"7\", \"100\"]");
  EXPECT_EQ(Run({"sdiff", "i", "j"}), "[\"-2\", \"30\"]");
  EXPECT_EQ(Run({"srandmember", "i", "10"}), "[\"-2\", \"7\", \"30\", \"100\"]");
  EXPECT_EQ(Run({"sscan", "i", "0"}), "[\"0\", [\"-2\", \"7\", \"30\", \"100\"]]");
  EXPECT_EQ(Run({"spop", "j", "3"}), "[\"5\", \"7\", \"100\"]");
}

TEST_P(SetCommandsTest, PopAndRandomMember) {
  EXPECT_EQ(Run({"spop", "nokey"}), "(nil)");
  EXPECT_EQ(Run({"srandmember", "nokey"}), "(nil)");
  EXPECT_EQ(Run({"spop", "nokey", "3"}), "[]");
  EXPECT_EQ(Run3({"spop", "nokey", "3"}), "~[]");
  EXPECT_EQ(Run({"srandmember", "nokey", "3"}), "[]");
  EXPECT_EQ(Run({"srandmember", "nokey", "-3"}), "[]");
  EXPECT_EQ(Run({"sadd", "s", "a", "b", "c", "d", "e"}), ":5");
  EXPECT_EQ(Run({"spop", "s", "0"}), "[]");
  EXPECT_EQ(Run({"srandmember", "s", "0"}), "[]");
  EXPECT_EQ(Run({"spop", "s", "-1"}), "-ERR value is out of range, must be positive");
  EXPECT_EQ(Run({"spop", "s", "x"}), "-ERR value is out of range, must be positive");
  EXPECT_EQ(Run({"spop", "s", "1", "2"}), kSyntax);
  EXPECT_EQ(Run({"srandmember", "s", "x"}), kNotInt);
  EXPECT_EQ(Run({"srandmember", "s", "1", "2"}), kSyntax);
  EXPECT_EQ(Run({"srandmember", "s", "-9223372036854775808"}),
            "-ERR value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807");

  std::string one = f_.Call({"srandmember", "s"}).str;
  EXPECT_EQ(Run({"sismember", "s", one}), ":1");
  EXPECT_EQ(Sorted({"srandmember", "s", "100"}), (Members{"a", "b", "c", "d", "e"}));
  Members three = Sorted({"srandmember", "s", "3"});
  EXPECT_EQ(std::set<std::string>(three.begin(), three.end()).size(), 3u);
  protocol::ReplyValue repeated = f_.Call({"srandmember", "s", "-20"}, 3);
  EXPECT_EQ(repeated.type, protocol::ReplyValue::Type::kArray);
  EXPECT_EQ(repeated.elements.size(), 20u);
  EXPECT_EQ(f_.Call({"srandmember", "s", "2"}, 3).type, protocol::ReplyValue::Type::kArray);

  std::string popped = f_.Call({"spop", "s"}).str;
  EXPECT_EQ(Run({"sismember", "s", popped}), ":0");
  EXPECT_EQ(Run({"scard", "s"}), ":4");
  protocol::ReplyValue two = f_.Call({"spop", "s", "2"}, 3);
  EXPECT_EQ(two.type, protocol::ReplyValue::Type::kSet);
  ASSERT_EQ(two.elements.size(), 2u);
  EXPECT_EQ(Run({"smismember", "s", two.elements[0].str, two.elements[1].str}), "[:0, :0]");
  EXPECT_EQ(Run({"scard", "s"}), ":2");
  EXPECT_EQ(Sorted({"spop", "s", "10"}).size(), 2u);
  EXPECT_EQ(Run({"exists", "s"}), ":0");
}

TEST_P(SetCommandsTest, SMove) {
  EXPECT_EQ(Run({"sadd", "src", "a", "b"}), ":2");
  EXPECT_EQ(Run({"sadd", "dst", "c"}), ":1");
  EXPECT_EQ(Run({"set", "str", "v"}), "+OK");
  EXPECT_EQ(Run({"smove", "nokey", "str", "a"}), ":0");  // a missing source wins over WRONGTYPE
  EXPECT_EQ(Run({"smove", "src", "str", "zz"}), kWrongType);
  EXPECT_EQ(Run({"smove", "src", "src", "a"}), ":1");
  EXPECT_EQ(Run({"smove", "src", "src", "z"}), ":0");
  EXPECT_EQ(Run({"smove", "src", "dst", "z"}), ":0");
  EXPECT_EQ(Run({"smove", "src", "dst", "a"}), ":1");
  EXPECT_EQ(Run({"smove", "src", "new", "b"}), ":1");
  EXPECT_EQ(Run({"exists", "src"}), ":0");
  EXPECT_EQ(Sorted({"smembers", "dst"}), (Members{"a", "c"}));
  EXPECT_EQ(Run({"smembers", "new"}), "[\"b\"]");
  EXPECT_EQ(Run({"pexpire", "dst", "100000"}), ":1");
  EXPECT_EQ(Run({"smove", "new", "dst", "b"}), ":1");
  EXPECT_EQ(Run({"pttl", "dst"}), ":100000");  // modifications keep the TTL
}

TEST_P(SetCommandsTest, Algebra) {
  EXPECT_EQ(Run({"sadd", "a", "x", "y", "z", "w"}), ":4");
  EXPECT_EQ(Run({"sadd", "b", "y", "z", "v"}), ":3");
  EXPECT_EQ(Run({"sadd", "c", "z", "q"}), ":2");
  EXPECT_EQ(Sorted({"sinter", "a", "b"}), (Members{"y", "z"}));
  EXPECT_EQ(Sorted({"sinter", "a", "b", "c"}), (Members{"z"}));
  EXPECT_EQ(Run({"sinter", "a", "nokey"}), "[]");
  EXPECT_EQ(Run3({"sinter", "a", "nokey"}), "~[]");
  EXPECT_EQ(Sorted({"sunion", "a", "b", "nokey"}), (Members{"v", "w", "x", "y", "z"}));
  EXPECT_EQ(Sorted({"sdiff", "a", "b", "nokey"}), (Members{"w", "x"}));
  EXPECT_EQ(Run({"sdiff", "nokey", "a"}), "[]");
  EXPECT_EQ(Run({"sdiff", "a", "a"}), "[]");
  EXPECT_EQ(f_.Call({"sunion", "a", "b"}, 3).type, protocol::ReplyValue::Type::kSet);
  EXPECT_EQ(f_.Call({"sdiff", "a", "b"}, 3).type, protocol::ReplyValue::Type::kSet);
  EXPECT_EQ(f_.Call({"sinter", "a", "b"}, 3).type, protocol::ReplyValue::Type::kSet);
}

TEST_P(SetCommandsTest, InterCard) {
  EXPECT_EQ(Run({"sadd", "a", "1", "2", "3", "4"}), ":4");
  EXPECT_EQ(Run({"sadd", "b", "2", "3", "4", "5"}), ":4");
  EXPECT_EQ(Run({"sintercard", "2", "a", "b"}), ":3");
  EXPECT_EQ(Run({"sintercard", "2", "a", "b", "limit", "2"}), ":2");
  EXPECT_EQ(Run({"sintercard", "2", "a", "b", "LIMIT", "0"}), ":3");
  EXPECT_EQ(Run({"sintercard", "1", "a", "limit", "1", "limit", "10"}), ":4");
  EXPECT_EQ(Run({"sintercard", "2", "a", "nokey"}), ":0");
  EXPECT_EQ(Run({"sintercard", "0", "a"}), "-ERR numkeys should be greater than 0");
  EXPECT_EQ(Run({"sintercard", "x", "a"}), "-ERR numkeys should be greater than 0");
  EXPECT_EQ(Run({"sintercard", "3", "a", "b"}),
            "-ERR Number of keys can't be greater than number of args");
  EXPECT_EQ(Run({"sintercard", "1", "a", "limit", "-1"}), "-ERR LIMIT can't be negative");
  EXPECT_EQ(Run({"sintercard", "1", "a", "limit", "x"}), "-ERR LIMIT can't be negative");
  EXPECT_EQ(Run({"sintercard", "1", "a", "limit"}), kSyntax);
  EXPECT_EQ(Run({"sintercard", "1", "a", "foo", "1"}), kSyntax);
  EXPECT_EQ(Run({"sintercard", "1"}), "-ERR wrong number of arguments for 'sintercard' command");
}

TEST_P(SetCommandsTest, StoreCommandsOverwriteAnyTypeAndDropTheTtl) {
  EXPECT_EQ(Run({"sadd", "a", "x", "y", "z"}), ":3");
  EXPECT_EQ(Run({"sadd", "b", "y", "z", "v"}), ":3");
  EXPECT_EQ(Run({"set", "d", "string"}), "+OK");
  EXPECT_EQ(Run({"expire", "d", "100"}), ":1");
  EXPECT_EQ(Run({"sinterstore", "d", "a", "b"}), ":2");
  EXPECT_EQ(Run({"type", "d"}), "+set");
  EXPECT_EQ(Run({"ttl", "d"}), ":-1");
  EXPECT_EQ(Sorted({"smembers", "d"}), (Members{"y", "z"}));
  EXPECT_EQ(Run({"sunionstore", "d", "a", "b"}), ":4");
  EXPECT_EQ(Sorted({"smembers", "d"}), (Members{"v", "x", "y", "z"}));
  EXPECT_EQ(Run({"sdiffstore", "d", "a", "b"}), ":1");
  EXPECT_EQ(Run({"smembers", "d"}), "[\"x\"]");
  // The destination may be a source.
  EXPECT_EQ(Run({"sunionstore", "a", "a", "b"}), ":4");
  EXPECT_EQ(Sorted({"smembers", "a"}), (Members{"v", "x", "y", "z"}));
  // An empty result deletes the destination.
  EXPECT_EQ(Run({"sdiffstore", "d", "a", "a"}), ":0");
  EXPECT_EQ(Run({"exists", "d"}), ":0");
  EXPECT_EQ(Run({"set", "d", "v"}), "+OK");
  EXPECT_EQ(Run({"sinterstore", "d", "nokey", "a"}), ":0");
  EXPECT_EQ(Run({"exists", "d"}), ":0");
  EXPECT_EQ(Run({"sunionstore", "d", "nokey"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":2");
}

TEST_P(SetCommandsTest, SScan) {
  EXPECT_EQ(Run({"sscan", "nokey", "0"}), "[\"0\", []]");
  EXPECT_EQ(Run({"sscan", "nokey", "0", "count", "0"}), "[\"0\", []]");
  EXPECT_EQ(Run({"sscan", "nokey", "x"}), "-ERR invalid cursor");
  EXPECT_EQ(Run({"sadd", "s", "apple", "avocado", "banana"}), ":3");
  EXPECT_EQ(Run({"sscan", "s", "x"}), "-ERR invalid cursor");
  EXPECT_EQ(Run({"sscan", "s", "0", "count", "0"}), kSyntax);
  EXPECT_EQ(Run({"sscan", "s", "0", "count", "x"}), kNotInt);
  EXPECT_EQ(Run({"sscan", "s", "0", "match"}), kSyntax);
  EXPECT_EQ(Run({"sscan", "s", "0", "novalues"}), kSyntax);
  protocol::ReplyValue page = f_.Call({"sscan", "s", "0", "match", "a*", "count", "100"});
  ASSERT_EQ(page.elements.size(), 2u);
  EXPECT_EQ(page.elements[0].str, "0");
  std::set<std::string> got;
  for (const auto& e : page.elements[1].elements) got.insert(e.str);
  EXPECT_EQ(got, (std::set<std::string>{"apple", "avocado"}));
}

TEST_P(SetCommandsTest, TtlKeptAndExpiredSetsVanish) {
  EXPECT_EQ(Run({"sadd", "s", "a"}), ":1");
  EXPECT_EQ(Run({"pexpire", "s", "100"}), ":1");
  EXPECT_EQ(Run({"sadd", "s", "b"}), ":1");
  EXPECT_EQ(Run({"srem", "s", "a"}), ":1");
  EXPECT_EQ(Run({"pttl", "s"}), ":100");
  AdvanceMs(101);
  EXPECT_EQ(Run({"scard", "s"}), ":0");
  EXPECT_EQ(Run({"sadd", "s", "c"}), ":1");
  EXPECT_EQ(Run({"smembers", "s"}), "[\"c\"]");
  EXPECT_EQ(Run({"pttl", "s"}), ":-1");
}

TEST_P(SetCommandsTest, CopyRenameKeepMembers) {
  EXPECT_EQ(Run({"sadd", "s", "a", "b"}), ":2");
  EXPECT_EQ(Run({"copy", "s", "t"}), ":1");
  EXPECT_EQ(Run({"sadd", "t", "c"}), ":1");
  EXPECT_EQ(Run({"scard", "s"}), ":2");
  EXPECT_EQ(Run({"rename", "t", "u"}), "+OK");
  EXPECT_EQ(Sorted({"smembers", "u"}), (Members{"a", "b", "c"}));
}

STRATA_INSTANTIATE_PROFILES(SetCommandsTest);

// A set past 2 * kHotCollectionLimit in the session profile: its memory copy is dropped and
// every command works through the sub-keys on disk; everything survives a reopen.
class BigSetTest : public ::testing::Test {
 protected:
  std::string Run(const std::vector<std::string>& args) { return f_.Run(args); }
  void Fill(const std::string& key, int from, int to) {
    for (int start = from; start < to; start += 250) {
      std::vector<std::string> cmd = {"sadd", key};
      for (int i = start; i < std::min(to, start + 250); ++i)
        cmd.push_back("m" + std::to_string(i));
      f_.Run(cmd);
    }
  }
  bool HeldWhole(const std::string& key) {
    auto e = f_.ks().Peek(0, key);
    return e.ok() && *e != nullptr && (*e)->object != nullptr;
  }

  CommandFixture f_{config::Profile::kSession};
};

TEST_F(BigSetTest, OnDiskPathAndReopen) {
  Fill("big", 0, 1500);
  EXPECT_FALSE(HeldWhole("big"));
  EXPECT_EQ(Run({"scard", "big"}), ":1500");
  EXPECT_EQ(Run({"sadd", "big", "m0", "new"}), ":1");
  EXPECT_EQ(Run({"srem", "big", "m1", "m2", "nope"}), ":2");
  EXPECT_EQ(Run({"smismember", "big", "m0", "m1", "new", "m1499"}), "[:1, :0, :1, :1]");
  EXPECT_EQ(f_.Call({"smembers", "big"}).elements.size(), 1499u);
  EXPECT_EQ(f_.Call({"srandmember", "big", "10"}).elements.size(), 10u);
  EXPECT_EQ(f_.Call({"srandmember", "big", "-2000"}).elements.size(), 2000u);
  EXPECT_EQ(f_.Call({"spop", "big", "9"}).elements.size(), 9u);
  EXPECT_EQ(f_.Call({"spop", "big"}).type, protocol::ReplyValue::Type::kBulk);
  EXPECT_EQ(Run({"scard", "big"}), ":1489");

  // Set algebra between a big and a small set, and a big result stored.
  EXPECT_EQ(Run({"sadd", "small", "m0", "m3", "x"}), ":3");
  std::string inter = Run({"sintercard", "2", "big", "small"});
  EXPECT_TRUE(inter == ":2" || inter == ":1" || inter == ":0") << inter;  // SPOP may take m0/m3
  std::string stored = Run({"sunionstore", "u", "big", "small"});
  EXPECT_EQ(stored, Run({"scard", "u"}));
  EXPECT_FALSE(HeldWhole("u"));
  stored = Run({"sdiffstore", "d", "small", "big"});
  EXPECT_EQ(stored, Run({"scard", "d"}));
  EXPECT_NE(stored, ":0");  // x is only in small
  EXPECT_EQ(Run({"smove", "big", "small", "new"}), ":1");
  EXPECT_EQ(Run({"sismember", "big", "new"}), ":0");

  // SSCAN pages through it by member hash; every member comes back exactly once.
  std::multiset<std::string> seen;
  std::string cursor = "0";
  int pages = 0;
  do {
    protocol::ReplyValue r = f_.Call({"sscan", "big", cursor, "count", "100"});
    ASSERT_EQ(r.elements.size(), 2u);
    cursor = r.elements[0].str;
    for (const auto& e : r.elements[1].elements) seen.insert(e.str);
  } while (cursor != "0" && ++pages < 1000);
  EXPECT_EQ(seen.size(), 1488u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 1488u);
  EXPECT_GT(pages, 10);

  std::string union_size = Run({"scard", "u"});
  f_.Reopen();
  EXPECT_EQ(Run({"scard", "big"}), ":1488");
  EXPECT_EQ(Run({"scard", "u"}), union_size);
  EXPECT_EQ(f_.Call({"smembers", "big"}).elements.size(), 1488u);
  EXPECT_EQ(Run({"sismember", "big", "m1"}), ":0");
  EXPECT_EQ(Run({"sismember", "small", "new"}), ":1");
  EXPECT_EQ(f_.Call({"spop", "big", "2000"}).elements.size(), 1488u);
  EXPECT_EQ(Run({"exists", "big"}), ":0");
  f_.Reopen();
  EXPECT_EQ(Run({"exists", "big"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":3");  // small, u, d
}

}  // namespace
}  // namespace strata::commands::testing
