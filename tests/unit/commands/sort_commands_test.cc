// SORT and SORT_RO, with replies checked against Redis 7.0's (redis-server 7.0.15), in both
// profiles; plus a sorted collection past 2 * kHotCollectionLimit in the session profile.
#include <string>
#include <vector>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

constexpr char kWrongType[] = "-WRONGTYPE Operation against a key holding the wrong kind of value";
constexpr char kSyntax[] = "-ERR syntax error";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range";
constexpr char kBadScore[] = "-ERR One or more scores can't be converted into double";

class SortCommandsTest : public ProfileTest {};

TEST_P(SortCommandsTest, NumericAndAlpha) {
  EXPECT_EQ(Run({"rpush", "l", "3", "10", "-1.5", "2", "inf", "0x10", " 7", ""}), ":8");
  EXPECT_EQ(Run({"sort", "l"}),
            "[\"-1.5\", \"\", \"2\", \"3\", \" 7\", \"10\", \"0x10\", \"inf\"]");
  EXPECT_EQ(Run({"sort", "l", "desc"}),
            "[\"inf\", \"0x10\", \"10\", \" 7\", \"3\", \"2\", \"\", \"-1.5\"]");
  EXPECT_EQ(Run({"sort", "l", "alpha"}),
            "[\"\", \" 7\", \"-1.5\", \"0x10\", \"10\", \"2\", \"3\", \"inf\"]");
  EXPECT_EQ(Run({"sort_ro", "l", "ALPHA", "DESC", "asc"}),
            "[\"\", \" 7\", \"-1.5\", \"0x10\", \"10\", \"2\", \"3\", \"inf\"]");
  // Equal scores are ordered by the elements' bytes, reversed by DESC.
  EXPECT_EQ(Run({"rpush", "eq", "1.0", "1", "01", "2"}), ":4");
  EXPECT_EQ(Run({"sort", "eq"}), "[\"01\", \"1\", \"1.0\", \"2\"]");
  EXPECT_EQ(Run({"sort", "eq", "desc"}), "[\"2\", \"1.0\", \"1\", \"01\"]");
  for (const char* bad : {"abc", "1 ", "nan", "1e400", "1e-400"}) {
    EXPECT_EQ(Run({"rpush", "bad", "1", bad}), ":2");
    EXPECT_EQ(Run({"sort", "bad"}), kBadScore) << bad;
    EXPECT_EQ(Run({"sort", "bad", "alpha"}).substr(0, 1), "[") << bad;
    EXPECT_EQ(Run({"del", "bad"}), ":1");
  }
  EXPECT_EQ(Run({"sort", "missing"}), "[]");
  EXPECT_EQ(Run3({"sort", "missing"}), "[]");
}

TEST_P(SortCommandsTest, SetsAndSortedSets) {
  EXPECT_EQ(Run({"sadd", "s", "5", "1", "30", "2"}), ":4");
  EXPECT_EQ(Run({"sort", "s"}), "[\"1\", \"2\", \"5\", \"30\"]");
  EXPECT_EQ(Run({"sort", "s", "alpha", "desc"}), "[\"5\", \"30\", \"2\", \"1\"]");
  EXPECT_EQ(Run({"sort", "s", "by", "nosort"}), "[\"1\", \"2\", \"5\", \"30\"]");  // intset
  EXPECT_EQ(Run({"sadd", "w", "b", "a", "c"}), ":3");
  EXPECT_EQ(Run({"sort", "w"}), kBadScore);
  EXPECT_EQ(Run({"sort", "w", "alpha", "limit", "1", "5"}), "[\"b\", \"c\"]");
  // A set stored with BY nosort is sorted ALPHA, so the result is deterministic.
  EXPECT_EQ(Run({"sort", "w", "by", "nosort", "desc", "store", "d"}), ":3");
  EXPECT_EQ(Run({"lrange", "d", "0", "-1"}), "[\"c\", \"b\", \"a\"]");

  EXPECT_EQ(Run({"zadd", "z", "3", "c", "1", "a", "2", "b", "2", "bb"}), ":4");
  EXPECT_EQ(Run({"sort", "z", "alpha"}), "[\"a\", \"b\", \"bb\", \"c\"]");
  EXPECT_EQ(Run({"sort", "z", "by", "nosort"}), "[\"a\", \"b\", \"bb\", \"c\"]");
  EXPECT_EQ(Run({"sort", "z", "by", "nosort", "desc"}), "[\"c\", \"bb\", \"b\", \"a\"]");
  EXPECT_EQ(Run({"sort", "z", "by", "nosort", "limit", "1", "2"}), "[\"b\", \"bb\"]");
  EXPECT_EQ(Run({"sort", "z", "by", "nosort", "desc", "limit", "1", "2"}), "[\"bb\", \"b\"]");
  EXPECT_EQ(Run({"sort", "z", "by", "nosort", "desc", "limit", "3", "9"}), "[\"a\"]");
  EXPECT_EQ(Run({"sort", "z"}), kBadScore);

  EXPECT_EQ(Run({"set", "str", "x"}), "+OK");
  EXPECT_EQ(Run({"hset", "h", "f", "1"}), ":1");
  EXPECT_EQ(Run({"sort", "str"}), kWrongType);
  EXPECT_EQ(Run({"sort_ro", "h"}), kWrongType);
  EXPECT_EQ(Run({"sort", "h", "store", "d"}), kWrongType);
  EXPECT_EQ(Run({"lrange", "d", "0", "-1"}), "[\"c\", \"b\", \"a\"]");
}

TEST_P(SortCommandsTest, Limit) {
  EXPECT_EQ(Run({"rpush", "l", "5", "4", "3", "2", "1"}), ":5");
  EXPECT_EQ(Run({"sort", "l", "limit", "0", "2"}), "[\"1\", \"2\"]");
  EXPECT_EQ(Run({"sort", "l", "limit", "3", "10"}), "[\"4\", \"5\"]");
  EXPECT_EQ(Run({"sort", "l", "limit", "-3", "2"}), "[\"1\", \"2\"]");
  EXPECT_EQ(Run({"sort", "l", "limit", "2", "-1"}), "[\"3\", \"4\", \"5\"]");
  EXPECT_EQ(Run({"sort", "l", "limit", "2", "0"}), "[]");
  EXPECT_EQ(Run({"sort", "l", "limit", "5", "1"}), "[]");
  EXPECT_EQ(Run({"sort", "l", "limit", "9223372036854775807", "9223372036854775807"}), "[]");
  EXPECT_EQ(Run({"sort", "l", "desc", "limit", "1", "2"}), "[\"4\", \"3\"]");
  // BY nosort keeps the list's order; DESC reverses it, then LIMIT applies.
  EXPECT_EQ(Run({"sort", "l", "by", "nosort"}), "[\"5\", \"4\", \"3\", \"2\", \"1\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "nosort", "limit", "1", "2"}), "[\"4\", \"3\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "nosort", "desc", "limit", "1", "2"}), "[\"2\", \"3\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "nosort", "desc", "limit", "4", "9"}), "[\"5\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "nosort", "limit", "7", "1"}), "[]");
  EXPECT_EQ(Run({"sort", "l", "limit", "1"}), kSyntax);
  EXPECT_EQ(Run({"sort", "l", "limit", "x", "1"}), kNotInt);
  EXPECT_EQ(Run({"sort", "l", "limit", "1", "1.5"}), kNotInt);
  EXPECT_EQ(Run({"sort", "l", "limit", "0", "1", "limit", "2", "1"}), "[\"3\"]");
}

TEST_P(SortCommandsTest, ByAndGetPatterns) {
  EXPECT_EQ(Run({"rpush", "l", "a", "b", "c", "d"}), ":4");
  EXPECT_EQ(Run({"mset", "w_a", "3", "w_b", "1", "w_c", "2", "o_a", "A", "o_b", "B"}), "+OK");
  EXPECT_EQ(Run({"hset", "h_a", "f", "30", "g", "x"}), ":2");
  EXPECT_EQ(Run({"hset", "h_c", "f", "-5"}), ":1");
  EXPECT_EQ(Run({"hset", "h_d", "f", "7"}), ":1");
  // A missing weight is 0; equal weights are ordered by the element.
  EXPECT_EQ(Run({"sort", "l", "by", "w_*"}), "[\"d\", \"b\", \"c\", \"a\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "w_*", "desc"}), "[\"a\", \"c\", \"b\", \"d\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "h_*->f"}), "[\"c\", \"b\", \"d\", \"a\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "h_*->g"}), kBadScore);
  EXPECT_EQ(Run({"sort", "l", "by", "h_*->g", "alpha"}), "[\"b\", \"c\", \"d\", \"a\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "o_*", "alpha", "desc"}), "[\"b\", \"a\", \"c\", \"d\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "o_*"}), kBadScore);
  // A hash where a string is expected (and the reverse) reads as missing.
  EXPECT_EQ(Run({"sort", "l", "by", "h_*", "get", "w_*->f"}), "[(nil), (nil), (nil), (nil)]");
  EXPECT_EQ(Run({"sort", "l", "by", "w_*", "get", "#", "get", "o_*", "get", "h_*->f"}),
            "[\"d\", (nil), \"7\", \"b\", \"B\", (nil), \"c\", (nil), \"-5\", \"a\", \"A\", "
            "\"30\"]");
  EXPECT_EQ(RunRaw({"sort", "l", "by", "w_*", "limit", "0", "1", "get", "o_*", "get", "#"}, 3),
            "*2\r\n_\r\n$1\r\nd\r\n");
  // GET of a pattern without '*' is nil; "->" with nothing after is part of the key.
  EXPECT_EQ(Run({"sort", "l", "by", "w_*", "limit", "0", "2", "get", "w_a"}), "[(nil), (nil)]");
  EXPECT_EQ(Run({"set", "k_b->", "kb"}), "+OK");
  EXPECT_EQ(Run({"sort", "l", "alpha", "limit", "1", "1", "get", "k_*->"}), "[\"kb\"]");
  // Only the first '*' is replaced.
  EXPECT_EQ(Run({"set", "x_a_*", "first"}), "+OK");
  EXPECT_EQ(Run({"sort", "l", "alpha", "limit", "0", "1", "get", "x_*_*"}), "[\"first\"]");
  // BY without '*' does not sort.
  EXPECT_EQ(Run({"sort", "l", "by", "w_a", "get", "#"}), "[\"a\", \"b\", \"c\", \"d\"]");
  EXPECT_EQ(Run({"sort", "l", "by", "#", "desc"}), "[\"d\", \"c\", \"b\", \"a\"]");
  EXPECT_EQ(Run({"sort", "l", "get"}), kSyntax);
  EXPECT_EQ(Run({"sort", "l", "by"}), kSyntax);
  EXPECT_EQ(Run({"sort", "l", "bogus"}), kSyntax);
}

TEST_P(SortCommandsTest, Store) {
  EXPECT_EQ(Run({"rpush", "l", "3", "1", "2"}), ":3");
  EXPECT_EQ(Run({"mset", "v_1", "one", "v_3", "three"}), "+OK");
  EXPECT_EQ(Run({"set", "dst", "old", "ex", "100"}), "+OK");
  EXPECT_EQ(Run({"sort", "l", "store", "dst"}), ":3");
  EXPECT_EQ(Run({"type", "dst"}), "+list");
  EXPECT_EQ(Run({"ttl", "dst"}), ":-1");
  EXPECT_EQ(Run({"lrange", "dst", "0", "-1"}), "[\"1\", \"2\", \"3\"]");
  // Missing GET values are stored as empty strings.
  EXPECT_EQ(Run({"sort", "l", "desc", "get", "v_*", "get", "#", "store", "dst"}), ":6");
  EXPECT_EQ(Run({"lrange", "dst", "0", "-1"}), "[\"three\", \"3\", \"\", \"2\", \"one\", \"1\"]");
  // The source itself can be the destination.
  EXPECT_EQ(Run({"sort", "l", "limit", "0", "2", "store", "l"}), ":2");
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"1\", \"2\"]");
  // An empty result deletes the destination, whatever its type.
  EXPECT_EQ(Run({"hset", "h", "f", "v"}), ":1");
  EXPECT_EQ(Run({"sort", "missing", "store", "h"}), ":0");
  EXPECT_EQ(Run({"exists", "h"}), ":0");
  EXPECT_EQ(Run({"sort", "l", "limit", "5", "5", "store", "dst"}), ":0");
  EXPECT_EQ(Run({"exists", "dst"}), ":0");
  // An error stores nothing.
  EXPECT_EQ(Run({"rpush", "bad", "x"}), ":1");
  EXPECT_EQ(Run({"sort", "bad", "store", "l"}), kBadScore);
  EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"1\", \"2\"]");
  EXPECT_EQ(Run({"sort_ro", "l", "store", "dst"}), kSyntax);
  EXPECT_EQ(Run({"sort", "l", "store"}), kSyntax);
  if (f_.profile() == config::Profile::kSession) {
    f_.Reopen();
    EXPECT_EQ(Run({"lrange", "l", "0", "-1"}), "[\"1\", \"2\"]");
    EXPECT_EQ(Run({"exists", "dst"}), ":0");
  }
}

TEST_P(SortCommandsTest, CommandInfo) {
  EXPECT_EQ(Run({"command", "info", "sort", "sort_ro"}).substr(0, 1), "[");
  const CommandSpec* sort = CommandTable::Get().Find("sort");
  ASSERT_NE(sort, nullptr);
  EXPECT_EQ(sort->arity, -2);
  EXPECT_EQ(sort->flags, kWrite | kDenyOom | kMovableKeys);
  const CommandSpec* ro = CommandTable::Get().Find("SORT_RO");
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(ro->flags, kReadOnly | kMovableKeys);
  EXPECT_EQ(ro->keys.first, 1);
  EXPECT_EQ(Run({"sort"}), "-ERR wrong number of arguments for 'sort' command");
  EXPECT_EQ(Run({"sort_ro"}), "-ERR wrong number of arguments for 'sort_ro' command");
}

STRATA_INSTANTIATE_PROFILES(SortCommandsTest);

// Collections past 2 * kHotCollectionLimit: the session profile keeps them on disk only, so
// SORT reads them through sub-keys; the stored result is itself big and must survive a reopen.
class BigSortTest : public ::testing::Test {
 protected:
  std::string Run(const std::vector<std::string>& args) { return f_.Run(args); }
  bool HeldWhole(const std::string& key) {
    auto e = f_.ks().Peek(0, key);
    return e.ok() && *e != nullptr && (*e)->object != nullptr;
  }
  CommandFixture f_{config::Profile::kSession};
};

TEST_F(BigSortTest, SortsOnDiskCollectionsAndStoresABigList) {
  constexpr int kN = 1500;
  for (int i = 0; i < kN; i += 100) {
    std::vector<std::string> list = {"rpush", "big"};
    std::vector<std::string> zset = {"zadd", "bigz"};
    std::vector<std::string> set = {"sadd", "bigs"};
    for (int j = i; j < i + 100; ++j) {
      list.push_back(std::to_string((j * 7919) % kN));  // a permutation of 0..kN-1
      zset.push_back(std::to_string(kN - j));
      zset.push_back("m" + std::to_string(j));
      set.push_back("s" + std::to_string(j));
    }
    Run(list);
    Run(zset);
    Run(set);
  }
  EXPECT_FALSE(HeldWhole("big"));
  EXPECT_FALSE(HeldWhole("bigz"));
  EXPECT_FALSE(HeldWhole("bigs"));
  EXPECT_EQ(Run({"sort", "big", "limit", "0", "3"}), "[\"0\", \"1\", \"2\"]");
  EXPECT_EQ(Run({"sort", "big", "desc", "limit", "0", "2"}), "[\"1499\", \"1498\"]");
  EXPECT_EQ(Run({"sort", "big", "by", "nosort", "limit", "1", "2"}), "[\"419\", \"838\"]");
  EXPECT_EQ(Run({"sort", "bigz", "by", "nosort", "limit", "0", "2"}), "[\"m1499\", \"m1498\"]");
  EXPECT_EQ(Run({"sort", "bigz", "by", "nosort", "desc", "limit", "0", "1"}), "[\"m0\"]");
  EXPECT_EQ(Run({"sort", "bigs", "alpha", "limit", "0", "3"}), "[\"s0\", \"s1\", \"s10\"]");
  EXPECT_EQ(Run({"sort", "big", "store", "sorted"}), ":1500");
  EXPECT_EQ(Run({"sort", "bigs", "by", "nosort", "store", "sorteds"}), ":1500");
  EXPECT_FALSE(HeldWhole("sorted"));
  f_.Reopen();
  EXPECT_EQ(Run({"llen", "sorted"}), ":1500");
  EXPECT_EQ(Run({"lindex", "sorted", "0"}), "\"0\"");
  EXPECT_EQ(Run({"lindex", "sorted", "777"}), "\"777\"");
  EXPECT_EQ(Run({"lindex", "sorted", "-1"}), "\"1499\"");
  EXPECT_EQ(Run({"lindex", "sorteds", "2"}), "\"s10\"");
  EXPECT_EQ(Run({"sort_ro", "sorted", "desc", "limit", "0", "1"}), "[\"1499\"]");
}

}  // namespace
}  // namespace strata::commands::testing
