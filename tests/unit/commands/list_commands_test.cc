// List commands, with replies checked against Redis 7.0's (both profiles), plus a big list in
// the session profile that lives on sub-keys only and survives a reopen.
#include <string>
#include <vector>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

constexpr char kWrongType[] = "-WRONGTYPE Operation against a key holding the wrong kind of value";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range";
constexpr char kSyntax[] = "-ERR syntax error";
constexpr char kNotPositive[] = "-ERR value is out of range, must be positive";

class ListCommandsTest : public ProfileTest {};

TEST_P(ListCommandsTest, PushAndRange) {
  EXPECT_EQ(Run({"rpush", "l", "a", "b"}), ":2");
  EXPECT_EQ(Run({"lpush", "l", "x", "y"}), ":4");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"y\", \"x\", \"a\", \"b\"]");
  EXPECT_EQ(Run({"llen", "l"}), ":4");
  EXPECT_EQ(Run({"llen", "missing"}), ":0");
  EXPECT_EQ(Run({"type", "l"}), "+list");
  EXPECT_EQ(Run({"lpushx", "missing", "a"}), ":0");
  EXPECT_EQ(Run({"rpushx", "missing", "a", "b"}), ":0");
  EXPECT_EQ(Run({"exists", "missing"}), ":0");
  EXPECT_EQ(Run({"lpushx", "l", "p"}), ":5");
  EXPECT_EQ(Run({"rpushx", "l", "q", "r"}), ":7");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"p\", \"y\", \"x\", \"a\", \"b\", \"q\", \"r\"]");
  EXPECT_EQ(Run({"rpush", "l"}), "-ERR wrong number of arguments for 'rpush' command");
  EXPECT_EQ(Run({"lpushx", "l"}), "-ERR wrong number of arguments for 'lpushx' command");
}

TEST_P(ListCommandsTest, RangeIndexRules) {
  EXPECT_EQ(Run({"rpush", "l", "a", "b", "c", "d", "e"}), ":5");
  EXPECT_EQ(Run({"lrange", "l", "1", "2"}), "[\"b\", \"c\"]");
  EXPECT_EQ(Run({"lrange", "l", "-2", "-1"}), "[\"d\", \"e\"]");
  EXPECT_EQ(Run({"lrange", "l", "-100", "100"}), "[\"a\", \"b\", \"c\", \"d\", \"e\"]");
  EXPECT_EQ(Run({"lrange", "l", "3", "1"}), "[]");
  EXPECT_EQ(Run({"lrange", "l", "5", "10"}), "[]");
  EXPECT_EQ(Run({"lrange", "l", "-1", "-2"}), "[]");
  EXPECT_EQ(Run({"lrange", "missing", "0", "-1"}), "[]");
  EXPECT_EQ(Run({"lrange", "l", "a", "1"}), kNotInt);
  EXPECT_EQ(Run({"lrange", "missing", "0", "+1"}), kNotInt);
  EXPECT_EQ(Run({"lindex", "l", "0"}), "\"a\"");
  EXPECT_EQ(Run({"lindex", "l", "-1"}), "\"e\"");
  EXPECT_EQ(Run({"lindex", "l", "5"}), "(nil)");
  EXPECT_EQ(Run({"lindex", "l", "-6"}), "(nil)");
  EXPECT_EQ(Run({"lindex", "l", "x"}), kNotInt);
  EXPECT_EQ(Run({"lindex", "missing", "x"}), "(nil)");  // the key is looked up first
  EXPECT_EQ(RunRaw({"lindex", "missing", "0"}, 3), "_\r\n");
}

TEST_P(ListCommandsTest, PopShapes) {
  EXPECT_EQ(Run({"rpush", "l", "a", "b", "c", "d"}), ":4");
  EXPECT_EQ(Run({"lpop", "l"}), "\"a\"");
  EXPECT_EQ(Run({"rpop", "l"}), "\"d\"");
  EXPECT_EQ(RunRaw({"lpop", "l", "0"}), "*0\r\n");
  EXPECT_EQ(Run({"rpop", "l", "5"}), "[\"c\", \"b\"]");
  EXPECT_EQ(Run({"exists", "l"}), ":0");
  EXPECT_EQ(RunRaw({"lpop", "l"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"lpop", "l", "1"}), "*-1\r\n");
  EXPECT_EQ(RunRaw({"rpop", "l", "0"}), "*-1\r\n");
  EXPECT_EQ(RunRaw({"lpop", "l"}, 3), "_\r\n");
  EXPECT_EQ(RunRaw({"lpop", "l", "2"}, 3), "_\r\n");
  EXPECT_EQ(Run({"lpop", "l", "-1"}), kNotPositive);
  EXPECT_EQ(Run({"lpop", "l", "x"}), kNotPositive);
  EXPECT_EQ(Run({"lpop", "l", "1", "2"}), "-ERR wrong number of arguments for 'lpop' command");
  EXPECT_EQ(Run({"RPOP", "l", "1", "2"}), "-ERR wrong number of arguments for 'rpop' command");
}

TEST_P(ListCommandsTest, WrongType) {
  EXPECT_EQ(Run({"set", "s", "x"}), "+OK");
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"lpush", "s", "a"},
           {"rpush", "s", "a"},
           {"lpushx", "s", "a"},
           {"rpushx", "s", "a"},
           {"lpop", "s"},
           {"rpop", "s", "2"},
           {"llen", "s"},
           {"lrange", "s", "0", "-1"},
           {"lindex", "s", "0"},
           {"lindex", "s", "x"},
           {"lset", "s", "0", "v"},
           {"linsert", "s", "before", "a", "b"},
           {"lrem", "s", "0", "a"},
           {"ltrim", "s", "0", "1"},
           {"lpos", "s", "a"},
           {"lmove", "s", "d", "left", "left"},
           {"rpoplpush", "s", "d"},
           {"lmpop", "1", "s", "left"},
       }) {
    EXPECT_EQ(Run(cmd), kWrongType) << cmd[0];
  }
  EXPECT_EQ(Run({"get", "s"}), "\"x\"");
  // Numbers parsed before the key is looked up report their error first.
  EXPECT_EQ(Run({"lpop", "s", "x"}), kNotPositive);
  EXPECT_EQ(Run({"lrange", "s", "x", "1"}), kNotInt);
  EXPECT_EQ(Run({"ltrim", "s", "x", "1"}), kNotInt);
  EXPECT_EQ(Run({"lrem", "s", "x", "a"}), kNotInt);
  EXPECT_EQ(Run({"linsert", "s", "middle", "a", "b"}), kSyntax);
  EXPECT_EQ(Run({"lmove", "s", "d", "up", "left"}), kSyntax);
}

TEST_P(ListCommandsTest, SetAndInsert) {
  EXPECT_EQ(Run({"lset", "missing", "0", "v"}), "-ERR no such key");
  EXPECT_EQ(Run({"lset", "missing", "x", "v"}), "-ERR no such key");
  EXPECT_EQ(Run({"rpush", "l", "a", "b", "c"}), ":3");
  EXPECT_EQ(Run({"lset", "l", "1", "B"}), "+OK");
  EXPECT_EQ(Run({"lset", "l", "-1", "C"}), "+OK");
  EXPECT_EQ(Run({"lset", "l", "3", "x"}), "-ERR index out of range");
  EXPECT_EQ(Run({"lset", "l", "-4", "x"}), "-ERR index out of range");
  EXPECT_EQ(Run({"lset", "l", "x", "x"}), kNotInt);
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"a\", \"B\", \"C\"]");
  EXPECT_EQ(Run({"linsert", "l", "BEFORE", "a", "0"}), ":4");
  EXPECT_EQ(Run({"linsert", "l", "after", "C", "D"}), ":5");
  EXPECT_EQ(Run({"linsert", "l", "after", "B", "b2"}), ":6");
  EXPECT_EQ(Run({"linsert", "l", "before", "zz", "x"}), ":-1");
  EXPECT_EQ(Run({"linsert", "missing", "before", "a", "x"}), ":0");
  EXPECT_EQ(Run({"exists", "missing"}), ":0");
  EXPECT_EQ(Run({"linsert", "l", "middle", "a", "x"}), kSyntax);
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"0\", \"a\", \"B\", \"b2\", \"C\", \"D\"]");
}

TEST_P(ListCommandsTest, RemoveAndTrim) {
  EXPECT_EQ(Run({"rpush", "l", "a", "x", "b", "x", "c", "x", "d"}), ":7");
  EXPECT_EQ(Run({"lrem", "l", "1", "x"}), ":1");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"a\", \"b\", \"x\", \"c\", \"x\", \"d\"]");
  EXPECT_EQ(Run({"lrem", "l", "-1", "x"}), ":1");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"a\", \"b\", \"x\", \"c\", \"d\"]");
  EXPECT_EQ(Run({"rpush", "l", "x", "x"}), ":7");
  EXPECT_EQ(Run({"lrem", "l", "0", "x"}), ":3");
  EXPECT_EQ(Run({"lrem", "l", "0", "zz"}), ":0");
  EXPECT_EQ(Run({"lrem", "missing", "0", "zz"}), ":0");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"a\", \"b\", \"c\", \"d\"]");
  EXPECT_EQ(Run({"ltrim", "l", "1", "-2"}), "+OK");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"b\", \"c\"]");
  EXPECT_EQ(Run({"ltrim", "l", "-100", "100"}), "+OK");
  EXPECT_EQ(Run({"llen", "l"}), ":2");
  EXPECT_EQ(Run({"ltrim", "missing", "0", "1"}), "+OK");
  EXPECT_EQ(Run({"ltrim", "l", "2", "1"}), "+OK");
  EXPECT_EQ(Run({"exists", "l"}), ":0");
  EXPECT_EQ(Run({"rpush", "l", "x", "x"}), ":2");
  EXPECT_EQ(Run({"lrem", "l", "0", "x"}), ":2");
  EXPECT_EQ(Run({"exists", "l"}), ":0");
}

TEST_P(ListCommandsTest, Pos) {
  EXPECT_EQ(Run({"rpush", "l", "a", "b", "a", "c", "a"}), ":5");
  EXPECT_EQ(Run({"lpos", "l", "a"}), ":0");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank", "2"}), ":2");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank", "-1"}), ":4");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank", "-9223372036854775808"}), ":4");
  EXPECT_EQ(Run({"lpos", "l", "a", "count", "0"}), "[:0, :2, :4]");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank", "-1", "count", "2"}), "[:4, :2]");
  EXPECT_EQ(Run({"lpos", "l", "a", "count", "0", "maxlen", "3"}), "[:0, :2]");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank", "1", "rank", "3"}), ":4");
  EXPECT_EQ(Run({"lpos", "l", "z"}), "(nil)");
  EXPECT_EQ(Run({"lpos", "l", "z", "count", "1"}), "[]");
  EXPECT_EQ(Run({"lpos", "missing", "z"}), "(nil)");
  EXPECT_EQ(RunRaw({"lpos", "missing", "z"}, 3), "_\r\n");
  EXPECT_EQ(Run({"lpos", "missing", "z", "count", "0"}), "[]");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank", "0"}),
            "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank", "x"}), kNotInt);
  EXPECT_EQ(Run({"lpos", "l", "a", "count", "-1"}), "-ERR COUNT can't be negative");
  EXPECT_EQ(Run({"lpos", "l", "a", "count", "x"}), "-ERR COUNT can't be negative");
  EXPECT_EQ(Run({"lpos", "l", "a", "maxlen", "-1"}), "-ERR MAXLEN can't be negative");
  EXPECT_EQ(Run({"lpos", "l", "a", "count", "-1", "rank", "0"}), "-ERR COUNT can't be negative");
  EXPECT_EQ(Run({"lpos", "l", "a", "rank"}), kSyntax);
  EXPECT_EQ(Run({"lpos", "l", "a", "foo", "rank", "0"}), kSyntax);
}

TEST_P(ListCommandsTest, MoveAndRpoplpush) {
  EXPECT_EQ(Run({"rpush", "src", "a", "b", "c"}), ":3");
  EXPECT_EQ(Run({"rpoplpush", "src", "dst"}), "\"c\"");
  EXPECT_EQ(Run({"lmove", "src", "dst", "LEFT", "right"}), "\"a\"");
  EXPECT_EQ(Run({"lrange", "dst", "0", "-1"}), "[\"c\", \"a\"]");
  EXPECT_EQ(Run({"lmove", "dst", "dst", "left", "right"}), "\"c\"");
  EXPECT_EQ(Run({"lrange", "dst", "0", "-1"}), "[\"a\", \"c\"]");
  EXPECT_EQ(Run({"lmove", "src", "src", "left", "right"}), "\"b\"");
  EXPECT_EQ(Run({"lrange", "src", "0", "-1"}), "[\"b\"]");
  EXPECT_EQ(Run({"rpoplpush", "src", "dst"}), "\"b\"");
  EXPECT_EQ(Run({"exists", "src"}), ":0");
  EXPECT_EQ(Run({"rpoplpush", "src", "dst"}), "(nil)");
  EXPECT_EQ(RunRaw({"lmove", "src", "dst", "left", "left"}, 3), "_\r\n");
  EXPECT_EQ(Run({"set", "s", "x"}), "+OK");
  EXPECT_EQ(Run({"rpoplpush", "missing", "s"}), "(nil)");
  EXPECT_EQ(Run({"rpoplpush", "dst", "s"}), kWrongType);
  EXPECT_EQ(Run({"llen", "dst"}), ":3");  // nothing popped
  EXPECT_EQ(Run({"lmove", "dst", "dst", "up", "left"}), kSyntax);
}

TEST_P(ListCommandsTest, MPop) {
  EXPECT_EQ(Run({"rpush", "b", "1", "2", "3"}), ":3");
  EXPECT_EQ(Run({"lmpop", "2", "a", "b", "left"}), "[\"b\", [\"1\"]]");
  EXPECT_EQ(Run({"lmpop", "2", "a", "b", "RIGHT", "count", "10"}), "[\"b\", [\"3\", \"2\"]]");
  EXPECT_EQ(Run({"exists", "b"}), ":0");
  EXPECT_EQ(RunRaw({"lmpop", "2", "a", "b", "left"}), "*-1\r\n");
  EXPECT_EQ(RunRaw({"lmpop", "2", "a", "b", "left"}, 3), "_\r\n");
  EXPECT_EQ(RunRaw({"rpush", "a", "x"}, 3), ":1\r\n");
  EXPECT_EQ(RunRaw({"lmpop", "1", "a", "left"}, 3), "*2\r\n$1\r\na\r\n*1\r\n$1\r\nx\r\n");
  const std::string numkeys = "-ERR numkeys should be greater than 0";
  const std::string count = "-ERR count should be greater than 0";
  EXPECT_EQ(Run({"lmpop", "0", "a", "left"}), numkeys);
  EXPECT_EQ(Run({"lmpop", "x", "a", "left"}), numkeys);
  EXPECT_EQ(Run({"lmpop", "2", "a", "left"}), kSyntax);
  EXPECT_EQ(Run({"lmpop", "1", "a", "middle"}), kSyntax);
  EXPECT_EQ(Run({"lmpop", "1", "a", "left", "count", "0"}), count);
  EXPECT_EQ(Run({"lmpop", "1", "a", "left", "count", "x"}), count);
  EXPECT_EQ(Run({"lmpop", "1", "a", "left", "count"}), kSyntax);
  EXPECT_EQ(Run({"lmpop", "1", "a", "left", "count", "1", "count", "1"}), kSyntax);
  EXPECT_EQ(Run({"lmpop", "1", "a"}), "-ERR wrong number of arguments for 'lmpop' command");
  // A wrong type before the first non-empty list is an error; after it, it is not seen.
  EXPECT_EQ(Run({"set", "s", "x"}), "+OK");
  EXPECT_EQ(Run({"rpush", "a", "y"}), ":1");
  EXPECT_EQ(Run({"lmpop", "2", "s", "a", "left"}), kWrongType);
  EXPECT_EQ(Run({"lmpop", "2", "a", "s", "left"}), "[\"a\", [\"y\"]]");
}

TEST_P(ListCommandsTest, TtlKeptAndEmptyListDeleted) {
  EXPECT_EQ(Run({"rpush", "l", "a", "b", "c"}), ":3");
  EXPECT_EQ(Run({"expire", "l", "100"}), ":1");
  EXPECT_EQ(Run({"lpush", "l", "z"}), ":4");
  EXPECT_EQ(Run({"lset", "l", "0", "y"}), "+OK");
  EXPECT_EQ(Run({"linsert", "l", "after", "a", "a2"}), ":5");
  EXPECT_EQ(Run({"lrem", "l", "1", "b"}), ":1");
  EXPECT_EQ(Run({"ltrim", "l", "0", "2"}), "+OK");
  EXPECT_EQ(Run({"lpop", "l"}), "\"y\"");
  EXPECT_EQ(Run({"ttl", "l"}), ":100");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"a\", \"a2\"]");
  EXPECT_EQ(Run({"rpop", "l", "2"}), "[\"a2\", \"a\"]");
  EXPECT_EQ(Run({"exists", "l"}), ":0");
  EXPECT_EQ(Run({"rpush", "l", "n"}), ":1");
  EXPECT_EQ(Run({"ttl", "l"}), ":-1");
  EXPECT_EQ(Run({"expire", "l", "1"}), ":1");
  AdvanceMs(1500);
  EXPECT_EQ(Run({"llen", "l"}), ":0");
  EXPECT_EQ(Run({"rpush", "l", "m"}), ":1");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"m\"]");
}

// A list past 2 * kHotCollectionLimit is no longer held whole in the session profile: every
// command then works on its sub-keys. It must behave the same and survive a reopen.
class BigListTest : public ::testing::Test {
 protected:
  std::string Run(const std::vector<std::string>& args) { return f_.Run(args); }

  bool HeldWhole(const std::string& key) {
    auto e = f_.ks().Peek(0, key);
    return e.ok() && *e != nullptr && (*e)->object != nullptr;
  }

  CommandFixture f_{config::Profile::kSession};
};

TEST_F(BigListTest, WorksOnSubKeysAndSurvivesReopen) {
  constexpr int kN = 1500;
  for (int i = 0; i < kN; i += 100) {
    std::vector<std::string> cmd = {"rpush", "big"};
    for (int j = i; j < i + 100; ++j) cmd.push_back("e" + std::to_string(j));
    EXPECT_EQ(Run(cmd), ":" + std::to_string(i + 100));
  }
  EXPECT_FALSE(HeldWhole("big"));
  EXPECT_EQ(Run({"llen", "big"}), ":1500");
  EXPECT_EQ(Run({"lindex", "big", "0"}), "\"e0\"");
  EXPECT_EQ(Run({"lindex", "big", "-1"}), "\"e1499\"");
  EXPECT_EQ(Run({"lindex", "big", "750"}), "\"e750\"");
  EXPECT_EQ(Run({"lrange", "big", "700", "702"}), "[\"e700\", \"e701\", \"e702\"]");
  EXPECT_EQ(f_.Call({"lrange", "big", "0", "-1"}).elements.size(), 1500u);
  EXPECT_EQ(Run({"lset", "big", "10", "ten"}), "+OK");
  EXPECT_EQ(Run({"lpush", "big", "head"}), ":1501");
  EXPECT_EQ(Run({"lpos", "big", "ten"}), ":11");
  EXPECT_EQ(Run({"lpos", "big", "e1400", "rank", "-1"}), ":1401");
  EXPECT_EQ(Run({"linsert", "big", "before", "e5", "near-head"}), ":1502");
  EXPECT_EQ(Run({"linsert", "big", "after", "e1495", "near-tail"}), ":1503");
  EXPECT_EQ(Run({"lrange", "big", "5", "7"}), "[\"e4\", \"near-head\", \"e5\"]");
  EXPECT_EQ(Run({"lrange", "big", "-6", "-1"}),
            "[\"e1495\", \"near-tail\", \"e1496\", \"e1497\", \"e1498\", \"e1499\"]");
  EXPECT_EQ(Run({"lrange", "big", "-5", "-1"}),
            "[\"near-tail\", \"e1496\", \"e1497\", \"e1498\", \"e1499\"]");
  EXPECT_EQ(Run({"lrem", "big", "0", "e20"}), ":1");
  EXPECT_EQ(Run({"lrem", "big", "-1", "e1490"}), ":1");
  EXPECT_EQ(Run({"llen", "big"}), ":1501");
  EXPECT_EQ(Run({"lpop", "big", "2"}), "[\"head\", \"e0\"]");
  EXPECT_EQ(Run({"rpop", "big"}), "\"e1499\"");
  EXPECT_EQ(Run({"rpoplpush", "big", "big"}), "\"e1498\"");
  EXPECT_EQ(Run({"lmove", "big", "other", "left", "left"}), "\"e1498\"");
  EXPECT_EQ(Run({"llen", "big"}), ":1497");
  EXPECT_FALSE(HeldWhole("big"));
  const std::string before = f_.Call({"lrange", "big", "0", "-1"}).DebugString();

  f_.Reopen();
  EXPECT_EQ(Run({"llen", "big"}), ":1497");
  EXPECT_EQ(f_.Call({"lrange", "big", "0", "-1"}).DebugString(), before);
  EXPECT_EQ(Run({"lindex", "big", "0"}), "\"e1\"");
  EXPECT_EQ(Run({"lrange", "big", "8", "10"}), "[\"e8\", \"e9\", \"ten\"]");
  EXPECT_EQ(Run({"lrange", "other", "0", "-1"}), "[\"e1498\"]");

  // LTRIM deletes what it removes; the rest shrinks back into memory.
  EXPECT_EQ(Run({"ltrim", "big", "100", "199"}), "+OK");
  EXPECT_EQ(Run({"llen", "big"}), ":100");
  EXPECT_EQ(Run({"lindex", "big", "0"}), "\"e101\"");
  EXPECT_TRUE(HeldWhole("big"));
  f_.Reopen();
  EXPECT_EQ(Run({"llen", "big"}), ":100");
  EXPECT_EQ(Run({"lrange", "big", "0", "1"}), "[\"e101\", \"e102\"]");
  EXPECT_EQ(Run({"lrange", "big", "-1", "-1"}), "[\"e200\"]");
  EXPECT_EQ(f_.Call({"lmpop", "1", "big", "right", "count", "1000"}).elements[1].elements.size(),
            100u);
  EXPECT_EQ(Run({"exists", "big"}), ":0");
  f_.Reopen();
  EXPECT_EQ(Run({"exists", "big"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":1");
}

TEST_F(BigListTest, SmallListSurvivesReopen) {
  EXPECT_EQ(Run({"rpush", "l", "a", "b", "c"}), ":3");
  EXPECT_EQ(Run({"lpush", "l", "z"}), ":4");
  EXPECT_EQ(Run({"lset", "l", "1", "A"}), "+OK");
  EXPECT_EQ(Run({"pexpire", "l", "5000"}), ":1");
  f_.Reopen();
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"z\", \"A\", \"b\", \"c\"]");
  EXPECT_EQ(Run({"pttl", "l"}), ":5000");
  EXPECT_EQ(Run({"copy", "l", "l2"}), ":1");
  EXPECT_EQ(Run({"rpop", "l2"}), "\"c\"");
  f_.Reopen();
  EXPECT_EQ(Run({"lrange", "l2", "0", "-1"}), "[\"z\", \"A\", \"b\"]");
  EXPECT_EQ(Run({"llen", "l"}), ":4");
}

STRATA_INSTANTIATE_PROFILES(ListCommandsTest);

}  // namespace
}  // namespace strata::commands::testing
